"""The dtype models load in: bfloat16 only where the CPU computes it natively."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers import settings


def cpuinfo(tmp_path: Path, flags: str) -> Path:
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu sse2 {flags}\n\n")
    return path


@pytest.mark.parametrize(
    ("flags", "native"),
    [("avx2 fma", False), ("avx2 avx512f avx512_bf16", True), ("avx2 amx_bf16 amx_tile", True)],
)
def test_native_bfloat16_is_read_from_the_cpu_flags(
    tmp_path: Path, flags: str, native: bool
) -> None:
    assert settings.cpu_has_native_bf16.__wrapped__(cpuinfo(tmp_path, flags)) is native


def test_an_unreadable_cpuinfo_means_no_native_bfloat16(tmp_path: Path) -> None:
    assert settings.cpu_has_native_bf16.__wrapped__(tmp_path / "missing") is False


def test_default_dtype_follows_the_cpu_and_the_variable_overrides_it(monkeypatch) -> None:
    monkeypatch.delenv("OCTOGRAPH_DTYPE", raising=False)
    monkeypatch.setattr(settings, "cpu_has_native_bf16", lambda: False)
    assert settings.dtype_name() == "float32"
    monkeypatch.setattr(settings, "cpu_has_native_bf16", lambda: True)
    assert settings.dtype_name() == "bfloat16"
    monkeypatch.setenv("OCTOGRAPH_DTYPE", "fp32")
    assert settings.dtype_name() == "float32"
    monkeypatch.setenv("OCTOGRAPH_DTYPE", "int8")
    with pytest.raises(settings.SettingsError, match="OCTOGRAPH_DTYPE must be one of"):
        settings.dtype_name()
