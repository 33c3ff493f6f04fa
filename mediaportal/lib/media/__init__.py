"""Django-free media toolkit: find ffmpeg, probe uploads, build and run encodes.

Nothing here imports Django so it can be used from workers, management
commands and tests alike.
"""
from .binary import FFmpegNotFound, ffmpeg_encoders, find_ffmpeg
from .commands import can_stream_copy, encode_command, poster_command, stream_command
from .presets import EncodeSpec
from .probe import MediaInfo, ProbeError, probe
from .runner import Cancelled, FFmpegError, Progress, parse_progress_block, run_ffmpeg
from .verify import VerifyError, verify_output

__all__ = [
    "Cancelled",
    "EncodeSpec",
    "FFmpegError",
    "FFmpegNotFound",
    "MediaInfo",
    "ProbeError",
    "Progress",
    "VerifyError",
    "can_stream_copy",
    "encode_command",
    "ffmpeg_encoders",
    "find_ffmpeg",
    "parse_progress_block",
    "poster_command",
    "probe",
    "run_ffmpeg",
    "stream_command",
    "verify_output",
]
