"""Accounts and teams: users sign up, each gets a personal team; teams share graphs by role."""
