"""A tiny CLIP trained in the test suite on generated pictures of coloured shapes.

``shape_image`` draws one shape (random size, place, shade and background) with Pillow;
``train_tiny_clip`` builds a transformers ``CLIPModel`` from a small random config with a word
tokenizer over the captions' words, trains both towers for ``steps`` steps to match each
picture with its caption ("a red circle") among all captions, and saves a folder that
``workers.clip_models`` loads like any transformers CLIP folder (model, tokenizer, PIL image
processor). Nothing is downloaded.
"""

from __future__ import annotations

import io
import itertools
import random
import time
from dataclasses import dataclass
from pathlib import Path

COLOURS = {"red": (210, 40, 40), "green": (40, 170, 60), "blue": (40, 70, 210)}
SHAPES = ("circle", "square", "triangle")
CAPTIONS = tuple(f"a {colour} {shape}" for colour, shape in itertools.product(COLOURS, SHAPES))
IMAGE_SIDE = 64
"""Side of the generated pictures; the model sees them at ``MODEL_SIDE``."""
MODEL_SIDE = 32
WORDS = ("<pad>", "<unk>", "<s>", "</s>", "a", "photo", "of", *COLOURS, *SHAPES)


def shape_image(caption: str, rng: random.Random) -> bytes:
    """A PNG of ``caption`` ("a red circle"): the shape in a shade of its colour, somewhere on a
    light, noisy background."""
    from PIL import Image, ImageDraw

    _, colour, shape = caption.split()
    background = tuple(rng.randint(200, 255) for _ in range(3))
    image = Image.new("RGB", (IMAGE_SIDE, IMAGE_SIDE), background)
    draw = ImageDraw.Draw(image)
    for _ in range(30):  # specks, so no two backgrounds are alike
        x, y = rng.randrange(IMAGE_SIDE), rng.randrange(IMAGE_SIDE)
        draw.point((x, y), fill=tuple(rng.randint(150, 255) for _ in range(3)))
    size = rng.randint(22, 40)
    left = rng.randint(2, IMAGE_SIDE - size - 2)
    top = rng.randint(2, IMAGE_SIDE - size - 2)
    fill = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in COLOURS[colour])
    box = (left, top, left + size, top + size)
    if shape == "circle":
        draw.ellipse(box, fill=fill)
    elif shape == "square":
        draw.rectangle(box, fill=fill)
    else:
        draw.polygon([(left, top + size), (left + size, top + size), (left + size // 2, top)], fill)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class TrainingReport:
    folder: Path
    steps: int
    seconds: float
    final_loss: float


def train_tiny_clip(
    folder: Path, *, steps: int = 500, per_caption: int = 64, seed: int = 0
) -> TrainingReport:
    """Train a tiny CLIP on ``per_caption`` pictures of each caption and save it in ``folder``."""
    import torch
    from PIL import Image
    from transformers import CLIPConfig, CLIPImageProcessorPil, CLIPModel

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = _word_tokenizer()
    processor = CLIPImageProcessorPil(
        size={"shortest_edge": MODEL_SIDE}, crop_size={"height": MODEL_SIDE, "width": MODEL_SIDE}
    )
    model = CLIPModel(_config(CLIPConfig, tokenizer))
    pictures = [
        (Image.open(io.BytesIO(shape_image(caption, rng))), index)
        for index, caption in enumerate(CAPTIONS)
        for _ in range(per_caption)
    ]
    pixels = processor(images=[p for p, _ in pictures], return_tensors="pt")["pixel_values"]
    labels = torch.tensor([i for _, i in pictures])
    captions = tokenizer(list(CAPTIONS), padding=True, return_tensors="pt")
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=steps)
    started = time.perf_counter()
    loss = torch.tensor(0.0)
    model.train()
    for _ in range(steps):
        batch = torch.randint(0, len(pictures), (64,))
        images = model.get_image_features(pixel_values=pixels[batch]).pooler_output
        texts = model.get_text_features(**captions).pooler_output
        images = images / images.norm(dim=-1, keepdim=True)
        texts = texts / texts.norm(dim=-1, keepdim=True)
        logits = model.logit_scale.exp() * images @ texts.T  # [64, captions]
        loss = torch.nn.functional.cross_entropy(logits, labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
    seconds = time.perf_counter() - started
    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    processor.save_pretrained(folder)
    return TrainingReport(folder, steps, seconds, loss.item())


def _word_tokenizer():  # type: ignore[no-untyped-def]
    """One token per word of the captions, ``</s>`` appended (CLIP pools the text there)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {word: index for index, word in enumerate(WORDS)}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    core.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", vocab["</s>"])]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token="<pad>",
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
    )


def _config(config_type, tokenizer):  # type: ignore[no-untyped-def]
    ids = {name: tokenizer.convert_tokens_to_ids(name) for name in ("<pad>", "<s>", "</s>")}
    return config_type(
        text_config={
            "vocab_size": len(WORDS),
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": 16,
            "pad_token_id": ids["<pad>"],
            "bos_token_id": ids["<s>"],
            "eos_token_id": ids["</s>"],
        },
        vision_config={
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": MODEL_SIDE,
            "patch_size": 8,
        },
        projection_dim=32,
    )
