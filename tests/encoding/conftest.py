"""Encoding test helpers: videos made from the shared clips, fast copies of presets."""

import hashlib
import shutil
from pathlib import Path

import pytest

from encoding.models import Preset
from library import storage
from library.models import Video
from mediaportal.lib.media import probe

FASTEST = {"h264": "ultrafast", "hevc": "ultrafast", "vp9": "8", "av1": "12", "": ""}


def make_video(owner, clip: Path, title: str = "clip") -> Video:
    dst = storage.user_dir(owner.pk, "originals") / storage.new_name(clip.suffix)
    shutil.copyfile(clip, dst)
    try:
        info = probe(dst)
        fields = {"container": info.container, "duration": info.duration, "width": info.width,
                  "height": info.height, "fps": info.fps, "video_codec": info.video_codec or "",
                  "audio_codec": info.audio_codec or "", "size": info.size, "probe": info.to_dict()}
    except Exception:  # bad files: the job has to find out by itself
        fields = {"size": dst.stat().st_size}
    return Video.objects.create(owner=owner, title=title, original_name=clip.name, original=storage.relative(dst),
                                **fields)


def fast_copy(slug: str) -> Preset:
    """The default preset with the encoder's fastest speed: same codecs and sizes, two cores spared."""
    preset = Preset.objects.get(slug=slug)
    preset.pk = None
    preset.slug = f"fast-{slug}"
    preset.speed = FASTEST[preset.video_codec]
    preset.save()
    return preset


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def sync_tasks(monkeypatch):
    """django-q2's sync mode: an enqueued task runs at once in this process."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture(scope="session")
def long_clip(ffmpeg_bin, tmp_path_factory) -> Path:
    """8 s of 640x360 with sound: long enough that an encode reports progress several times."""
    from tests.clips import make

    path = tmp_path_factory.mktemp("encoding-clips") / "long.mp4"
    make(ffmpeg_bin, "-f", "lavfi", "-i", "testsrc2=duration=8:size=640x360:rate=25", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "64k", "-shortest", path)
    return path
