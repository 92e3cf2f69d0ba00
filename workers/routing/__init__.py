"""Router training and inference helpers: data synthesis, LoRA training, embedding baseline."""
