from __future__ import annotations

import dataclasses
from pathlib import Path

import av
import pytest

from mediaportal.lib.media import (
    EncodeSpec,
    MediaInfo,
    can_stream_copy,
    encode_command,
    poster_command,
    probe,
    run_ffmpeg,
    stream_command,
    verify_output,
)
from mediaportal.lib.media.commands import target_size, tee_target

from .conftest import Clips

HD = MediaInfo(container="mp4", duration=10.0, width=1920, height=1080, fps=25.0,
               video_codec="h264", audio_codec="aac", size=1)
H264 = EncodeSpec(container="mp4", video_codec="h264", crf=23, speed="veryfast", max_height=720)


def opt(args: list[str], flag: str) -> str:
    """Value following the last occurrence of `flag`, which must be present."""
    idx = [i for i, a in enumerate(args) if a == flag]
    assert idx, f"{flag} missing from {args}"
    return args[idx[-1] + 1]


# ---- pure argument construction ----------------------------------------

def test_prefix_and_muxer() -> None:
    for container, muxer in (("mp4", "mp4"), ("mkv", "matroska"), ("webm", "webm"), ("m4a", "ipod")):
        spec = EncodeSpec(container=container, video_codec="vp9" if container != "m4a" else None,
                          crf=30, audio_codec="opus" if container == "webm" else "aac")
        args = encode_command("ffmpeg", "/in.mov", "/out.tmp", spec, HD)
        assert args[:9] == ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1",
                            "-nostats", "-i", "/in.mov"]
        assert args[-3:] == ["-f", muxer, "/out.tmp"]


def test_downscale_concrete_numbers() -> None:
    args = encode_command("ffmpeg", "/in", "/out", H264, HD)
    assert opt(args, "-vf") == "scale=1280:720"
    assert opt(args, "-map") == "0:a:0?" and "0:V:0?" in args
    assert opt(args, "-c:v") == "libx264" and opt(args, "-preset") == "veryfast" and opt(args, "-crf") == "23"
    assert opt(args, "-movflags") == "+faststart"


def test_never_upscales() -> None:
    small = dataclasses.replace(HD, width=320, height=240)
    args = encode_command("ffmpeg", "/in", "/out", dataclasses.replace(H264, max_height=1080), small)
    assert "-vf" not in args  # already even and small enough: no scaling at all


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (321, 241), (640, 480), (720, 576), (3, 1001), (1998, 3)])
@pytest.mark.parametrize("max_height", [None, 100, 480, 720, 4000])
@pytest.mark.parametrize("rotation", [0, 90])
def test_target_size_properties(size: tuple[int, int], max_height: int | None, rotation: int) -> None:
    info = dataclasses.replace(HD, width=size[0], height=size[1], rotation=rotation)
    out = target_size(info, max_height)
    assert out is not None
    w, h = out
    dw, dh = info.display_width, info.display_height
    assert dw is not None and dh is not None
    assert w % 2 == 0 and h % 2 == 0 and w >= 2 and h >= 2
    assert h <= max(2, dh) and w <= max(2, dw)
    if max_height:
        assert h <= max_height
    # Width is the aspect-correct width for the chosen height, give or take even rounding.
    assert abs(w - dw * h / dh) <= 2


def test_rotated_source_uses_display_size() -> None:
    rotated = dataclasses.replace(HD, rotation=90)  # coded 1920x1080 shown as 1080x1920
    args = encode_command("ffmpeg", "/in", "/out", H264, rotated)
    w, h = (int(x) for x in opt(args, "-vf").removeprefix("scale=").split(":"))
    assert h == 720 and w in (404, 406)


def test_fps_cap_only_when_faster() -> None:
    fast = dataclasses.replace(HD, fps=59.94)
    capped = encode_command("ffmpeg", "/in", "/out", dataclasses.replace(H264, max_fps=30), fast)
    assert opt(capped, "-vf") == "fps=30,scale=1280:720"
    slow = encode_command("ffmpeg", "/in", "/out", dataclasses.replace(H264, max_fps=30), HD)
    assert "fps=" not in opt(slow, "-vf")


def test_keyframes_and_cbr() -> None:
    spec = EncodeSpec(video_codec="h264", crf=None, rate_control="bitrate", video_bitrate_k=3000,
                      bufsize_k=6000, constant_bitrate=True, keyframe_seconds=2.0, max_fps=30)
    args = encode_command("ffmpeg", "/in", "/out", spec, dataclasses.replace(HD, fps=60.0))
    assert opt(args, "-g") == opt(args, "-keyint_min") == "60"  # 30 fps after the cap * 2 s
    assert opt(args, "-sc_threshold") == "0"
    assert opt(args, "-b:v") == opt(args, "-minrate") == opt(args, "-maxrate") == "3000k"
    assert opt(args, "-bufsize") == "6000k"
    assert "nal-hrd=cbr" in opt(args, "-x264-params")


def test_codec_specific_flags() -> None:
    vp9 = encode_command("ffmpeg", "/in", "/out", EncodeSpec(container="webm", video_codec="vp9", crf=33,
                                                               speed="8", audio_codec="opus"), HD)
    assert opt(vp9, "-c:v") == "libvpx-vp9" and opt(vp9, "-b:v") == "0" and opt(vp9, "-row-mt") == "1"
    assert opt(vp9, "-deadline") == "realtime" and opt(vp9, "-cpu-used") == "8"
    assert opt(vp9, "-c:a") == "libopus" and "-movflags" not in vp9
    hevc = encode_command("ffmpeg", "/in", "/out", EncodeSpec(video_codec="hevc", crf=28, speed="fast"), HD)
    assert opt(hevc, "-c:v") == "libx265" and "log-level=error" in opt(hevc, "-x265-params")
    assert opt(hevc, "-tag:v") == "hvc1"
    av1 = encode_command("ffmpeg", "/in", "/out", EncodeSpec(container="mkv", video_codec="av1", crf=40,
                                                               speed="10", pix_fmt="yuv420p10le"), HD)
    assert opt(av1, "-c:v") == "libsvtav1" and opt(av1, "-preset") == "10" and opt(av1, "-crf") == "40"
    assert opt(av1, "-pix_fmt") == "yuv420p10le"


def test_audio_options_and_threads() -> None:
    spec = EncodeSpec(crf=23, audio_bitrate_k=96, audio_channels=2, audio_rate=48000)
    args = encode_command("ffmpeg", "/in", "/out", spec, HD, threads=2)
    assert (opt(args, "-b:a"), opt(args, "-ac"), opt(args, "-ar")) == ("96k", "2", "48000")
    assert opt(args, "-threads") == "2"
    assert "-threads" not in encode_command("ffmpeg", "/in", "/out", spec, HD)


def test_missing_streams_become_vn_an() -> None:
    audio_only = EncodeSpec(container="m4a", video_codec=None, audio_codec="aac")
    args = encode_command("ffmpeg", "/in", "/out", audio_only, HD)
    assert "-vn" in args and "-c:v" not in args and "0:V:0?" not in args
    silent = dataclasses.replace(HD, audio_codec=None)
    args = encode_command("ffmpeg", "/in", "/out", H264, silent)
    assert "-an" in args and "-c:a" not in args and "0:a:0?" not in args
    with pytest.raises(ValueError, match="nothing to encode"):
        encode_command("ffmpeg", "/in", "/out", audio_only, silent)


def test_odd_relative_paths_are_pinned_to_files() -> None:
    args = encode_command("ffmpeg", "rtmp:evil.mp4", "-out.mp4", H264, HD)
    assert opt(args, "-i") == "file:rtmp:evil.mp4" and args[-1] == "file:-out.mp4"


# ---- streaming -----------------------------------------------------------

STREAM_SPEC = EncodeSpec(video_codec="h264", crf=None, rate_control="bitrate", video_bitrate_k=800,
                         bufsize_k=800, constant_bitrate=True, keyframe_seconds=2.0, speed="ultrafast",
                         max_height=180, audio_bitrate_k=64)


def test_stream_tee_and_options() -> None:
    urls = ["rtmp://a.example/live/key1", "rtmps://b.example:443/app/key2"]
    args = stream_command("ffmpeg", "/in.mp4", urls, STREAM_SPEC, loop=True, copy=False, source=HD)
    i = args.index("-i")
    assert args.index("-re") < i and args[args.index("-stream_loop") + 1] == "-1" and args.index("-stream_loop") < i
    assert "-nostdin" in args and opt(args, "-progress") == "pipe:1" and "-nostats" in args
    assert "0:V:0?" in args and "0:a:0?" in args
    assert opt(args, "-flags") == "+global_header" and "-c" not in args
    assert args[-3:] == ["-f", "tee", "[f=flv:onfail=ignore]rtmp://a.example/live/key1|"
                                      "[f=flv:onfail=ignore]rtmps://b.example:443/app/key2"]


def test_stream_copy_single_output() -> None:
    args = stream_command("ffmpeg", "/in.mp4", ["rtmp://x/y"], None, loop=False, copy=True)
    assert "-stream_loop" not in args and opt(args, "-c") == "copy" and "-flags" not in args
    assert args[-2:] == ["tee", "[f=flv:onfail=ignore]rtmp://x/y"]


def test_tee_escaping() -> None:
    target = tee_target(["rtmp://h/app/k|e[y]\\x'q"])
    assert target == "[f=flv:onfail=ignore]rtmp://h/app/k\\|e\\[y\\]\\\\x\\'q"
    # The only unescaped "|" is the one separating slaves.
    two = tee_target(["rtmp://h/a|b", "rtmp://h/c"])
    assert two.replace("\\|", "").count("|") == 1


@pytest.mark.parametrize("url", ["file:/tmp/x.flv", "pipe:1", "/tmp/out.flv", "http://h/x", "rtmp://h/a b",
                                 "tee:[f=flv]x", ""])
def test_stream_rejects_non_rtmp(url: str) -> None:
    with pytest.raises(ValueError):
        stream_command("ffmpeg", "/in.mp4", ["rtmp://ok/x", url], STREAM_SPEC, loop=False, copy=False)


def test_stream_argument_errors() -> None:
    with pytest.raises(ValueError, match="at least one"):
        stream_command("ffmpeg", "/in", [], STREAM_SPEC, loop=False, copy=False)
    with pytest.raises(ValueError, match="spec is required"):
        stream_command("ffmpeg", "/in", ["rtmp://h/x"], None, loop=False, copy=False)
    with pytest.raises(ValueError, match="h264"):
        stream_command("ffmpeg", "/in", ["rtmp://h/x"], EncodeSpec(container="mkv", video_codec="hevc", crf=28),
                       loop=False, copy=False)


def test_can_stream_copy(clips: Clips) -> None:
    assert can_stream_copy(probe(clips.av_mp4))
    assert not can_stream_copy(probe(clips.video_only_mp4))
    assert not can_stream_copy(probe(clips.rotated_mp4))
    assert not can_stream_copy(dataclasses.replace(HD, video_codec="hevc"))
    assert not can_stream_copy(dataclasses.replace(HD, audio_codec="opus"))


# ---- real encodes on the 2 s clips --------------------------------------

@pytest.mark.parametrize(
    ("spec", "expect_size"),
    [
        (EncodeSpec(container="mp4", video_codec="h264", crf=30, speed="ultrafast", max_height=180,
                    audio_codec="aac", audio_bitrate_k=64), (240, 180)),
        (EncodeSpec(container="mkv", video_codec="hevc", crf=35, speed="ultrafast", max_height=1080,
                    audio_codec="aac", audio_bitrate_k=64), (320, 240)),  # no upscaling
        (EncodeSpec(container="webm", video_codec="vp9", crf=45, speed="8", max_height=120,
                    audio_codec="opus", audio_bitrate_k=48), (160, 120)),
        (EncodeSpec(container="mp4", video_codec="av1", crf=50, speed="12", max_height=100,
                    audio_codec="opus", audio_bitrate_k=48), (134, 100)),
        (EncodeSpec(container="m4a", video_codec=None, audio_codec="aac", audio_bitrate_k=64), None),
    ],
    ids=["h264", "hevc", "vp9", "av1", "aac-only"],
)
def test_encode_runs(ffmpeg_bin: str, clips: Clips, tmp_path: Path, spec: EncodeSpec,
                     expect_size: tuple[int, int] | None) -> None:
    source = probe(clips.av_mp4)
    dst = tmp_path / "out.tmp"
    run_ffmpeg(encode_command(ffmpeg_bin, clips.av_mp4, dst, spec, source, threads=2), source.duration)
    out = verify_output(dst, source, spec)  # decodes, checks codecs and duration
    assert (out.video_codec, out.audio_codec) == (spec.video_codec, spec.audio_codec)
    if expect_size is None:
        assert not out.has_video
    else:
        assert (out.width, out.height) == expect_size
        assert out.width is not None and out.height is not None and source.height is not None
        assert out.height <= source.height and out.width % 2 == 0 and out.height % 2 == 0


def test_portrait_keeps_aspect(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    source = probe(clips.portrait_mp4)
    spec = EncodeSpec(video_codec="h264", crf=30, speed="ultrafast", max_height=160)
    run_ffmpeg(encode_command(ffmpeg_bin, clips.portrait_mp4, tmp_path / "o.mp4", spec, source), source.duration)
    out = verify_output(tmp_path / "o.mp4", source, spec)
    assert (out.display_width, out.display_height) == (120, 160)


def test_rotated_source_is_upright_after_encode(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    source = probe(clips.rotated_mp4)
    spec = EncodeSpec(video_codec="h264", crf=30, speed="ultrafast", max_height=160)
    run_ffmpeg(encode_command(ffmpeg_bin, clips.rotated_mp4, tmp_path / "o.mp4", spec, source), source.duration)
    out = verify_output(tmp_path / "o.mp4", source, spec)
    assert (out.display_width, out.display_height) == (120, 160)


def test_video_only_source_with_audio_spec(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    source = probe(clips.video_only_mp4)
    spec = EncodeSpec(video_codec="h264", crf=30, speed="ultrafast", audio_codec="aac")
    run_ffmpeg(encode_command(ffmpeg_bin, clips.video_only_mp4, tmp_path / "o.mp4", spec, source), source.duration)
    out = verify_output(tmp_path / "o.mp4", source, spec)
    assert out.has_video and not out.has_audio


def test_audio_only_source_with_video_spec(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    source = probe(clips.audio_m4a)
    spec = EncodeSpec(video_codec="h264", crf=30, speed="ultrafast", audio_codec="aac")
    run_ffmpeg(encode_command(ffmpeg_bin, clips.audio_m4a, tmp_path / "o.mp4", spec, source), source.duration)
    out = verify_output(tmp_path / "o.mp4", source, spec)
    assert out.has_audio and not out.has_video


def test_keyframe_interval_is_applied(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    source = probe(clips.av_mp4)
    spec = EncodeSpec(video_codec="h264", crf=30, speed="ultrafast", keyframe_seconds=0.4)
    run_ffmpeg(encode_command(ffmpeg_bin, clips.av_mp4, tmp_path / "o.mp4", spec, source), source.duration)
    with av.open(str(tmp_path / "o.mp4")) as container:
        flags = [p.is_keyframe for p in container.demux(video=0) if p.size]
    assert len(flags) == 50
    assert [i for i, key in enumerate(flags) if key] == list(range(0, 50, 10))  # 25 fps * 0.4 s


def test_poster(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    dst = tmp_path / "poster.jpg"
    run_ffmpeg(poster_command(ffmpeg_bin, clips.av_mp4, dst, at_seconds=1.0, max_width=160), 0.0)
    with av.open(str(dst)) as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (160, 120)
    small = tmp_path / "small.jpg"  # max_width above the source must not upscale
    run_ffmpeg(poster_command(ffmpeg_bin, clips.av_mp4, small, at_seconds=0.5, max_width=4000), 0.0)
    with av.open(str(small)) as container:
        assert next(container.decode(video=0)).width == 320


def test_stream_command_really_streams(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    """Run the real stream argv with the RTMP targets swapped for local FLV files.

    One target is unwritable: with onfail=ignore the other must still be complete.
    """
    source = probe(clips.av_mp4)
    args = stream_command(ffmpeg_bin, clips.av_mp4, ["rtmp://127.0.0.1/live/a"], STREAM_SPEC,
                          loop=False, copy=False, source=source)
    good = tmp_path / "good.flv"
    args[-1] = tee_target([str(tmp_path / "missing-dir" / "bad.flv"), str(good)])
    run_ffmpeg(args, source.duration)
    out = probe(good)
    assert (out.video_codec, out.audio_codec, out.height) == ("h264", "aac", 180)
    assert out.duration == pytest.approx(source.duration, abs=0.5)


@pytest.mark.parametrize("clip", ["av_mp4", "av_ts"])  # MP4 and TS carry different codec tags
def test_stream_copy_really_streams(ffmpeg_bin: str, clips: Clips, tmp_path: Path, clip: str) -> None:
    path = getattr(clips, clip)
    source = probe(path)
    assert can_stream_copy(source)
    args = stream_command(ffmpeg_bin, path, ["rtmp://127.0.0.1/live/a"], None, loop=False, copy=True)
    args[-1] = tee_target([str(tmp_path / "copy.flv")])
    run_ffmpeg(args, source.duration)
    out = probe(tmp_path / "copy.flv")
    assert (out.video_codec, out.audio_codec, out.width, out.height) == ("h264", "aac", 320, 240)
