"""Running Octograph: the one-machine stack of `make run`, and the image of docker-compose."""
