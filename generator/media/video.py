"""Videos: local MP4 files are published as they are, so they are checked first.

Re-encoding video needs ffmpeg, which the project does not require; instead a file that is not an
MP4, or that carries a recording location (phones write one), is refused with the command that
removes it.
"""

from __future__ import annotations

from pathlib import Path

from .images import ImageProblem

# Atoms in which phones store where a video was taken (Apple's ©xyz, 3GPP's loci)
LOCATION_ATOMS = (b"\xa9xyz", b"loci")
MAX_VIDEO_BYTES = 500 * 1024 * 1024


def check_mp4(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_VIDEO_BYTES:
        raise ImageProblem(f"视频太大（{size // 2**20} MB）", f"the video is too large ({size // 2**20} MB)",
                           "请压缩到 500 MB 以内，或上传到视频网站后用 url: 链接", "compress it below 500 MB, or upload it and link it with url:")
    with open(path, "rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[4:8] != b"ftyp":
            raise ImageProblem("不是 MP4 视频", "not an MP4 video", "请导出为 MP4（H.264）", "export it as MP4 (H.264)")
        handle.seek(0)
        chunk, tail = handle.read(8 * 2**20), b""
        while chunk:
            if any(atom in tail + chunk for atom in LOCATION_ATOMS):
                raise ImageProblem("视频含有拍摄地点（GPS）信息，不能发布", "the video carries the location where it was recorded (GPS)",
                                   "用 ffmpeg -i 原视频.mp4 -map_metadata -1 -c copy 新视频.mp4 去掉后再放入",
                                   "remove it with: ffmpeg -i in.mp4 -map_metadata -1 -c copy out.mp4")
            tail = chunk[-8:]
            chunk = handle.read(8 * 2**20)
