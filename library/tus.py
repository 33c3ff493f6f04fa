"""tus 1.0.0 resumable uploads at /api/v1/uploads/: core, creation, termination, expiration and
checksum (sha1, md5). Bodies are read from the request stream in chunks, never as request.body."""

import base64
import binascii

from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from library import selectors, uploads
from library.errors import BadUpload
from library.models import Upload

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration,checksum"
OFFSET_TYPE = "application/offset+octet-stream"


class PreconditionFailed(BadUpload):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = f"Unsupported tus version: send Tus-Resumable: {TUS_VERSION}."
    default_code = "tus_version"


class UnsupportedType(BadUpload):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = f"PATCH bodies must have Content-Type: {OFFSET_TYPE}."
    default_code = "unsupported_media_type"


def _int_header(request, name: str) -> int:
    value = request.headers.get(name)
    if value is None or not value.isdigit():
        raise BadUpload(f"{name} is required and must be a non-negative integer.")
    return int(value)


def parse_metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs (the value may be absent)."""
    result: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _, value = pair.partition(" ")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (binascii.Error, ValueError):
            raise BadUpload(f"Upload-Metadata value for {key!r} is not valid base64 UTF-8.") from None
    return result


def _expires(upload: Upload) -> str:
    return http_date(upload.expires.timestamp())


class TusView(APIView):
    """Every tus response carries Tus-Resumable; requests must speak the same version."""

    def get_permissions(self):
        if self.request.method == "OPTIONS":
            return [AllowAny()]  # discovery carries no user data
        return super().get_permissions()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
            raise PreconditionFailed()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
            response["Tus-Version"] = TUS_VERSION
        response["Cache-Control"] = "no-store"
        return response

    def options(self, request, *args, **kwargs):
        return Response(status=status.HTTP_204_NO_CONTENT, headers={
            "Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(selectors.max_upload_bytes()), "Tus-Checksum-Algorithm": "sha1,md5",
        })


def _video_headers(request, upload: Upload) -> dict[str, str]:
    if not (upload.completed and upload.video_id):
        return {}
    return {"X-Video-Id": str(upload.video_id),
            "X-Video-Url": request.build_absolute_uri(reverse("api-video", args=[upload.video_id])),
            "X-Video-Page": request.build_absolute_uri(reverse("video-watch", args=[upload.video_id]))}


class UploadCreateApi(TusView):
    @extend_schema(request=None, responses={201: OpenApiResponse(description="Location: the upload's URL")},
                   summary="Create a tus upload (Upload-Length, Upload-Metadata: filename, preset, title)")
    def post(self, request):
        if "Upload-Defer-Length" in request.headers:
            raise BadUpload("Upload-Defer-Length is not supported: send Upload-Length with the file's size.")
        length = _int_header(request, "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        upload = uploads.upload_create(owner=request.user, length=length, metadata=metadata)
        url = request.build_absolute_uri(reverse("api-upload", args=[upload.pk]))
        return Response(status=status.HTTP_201_CREATED, headers={
            "Location": url, "Upload-Offset": "0", "Upload-Expires": _expires(upload)})


class UploadApi(TusView):
    @extend_schema(request=None, responses={200: None}, summary="Offset of a tus upload (and its video when done)")
    def head(self, request, upload_id):
        upload = selectors.get_upload_for_user(request.user, upload_id)
        return Response(status=status.HTTP_200_OK, headers={
            "Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length),
            "Upload-Expires": _expires(upload), **_video_headers(request, upload)})

    @extend_schema(request=None, responses={204: None}, summary="Append a chunk at Upload-Offset")
    def patch(self, request, upload_id):
        upload = selectors.get_upload_for_user(request.user, upload_id)
        if (request.content_type or "").split(";")[0].strip() != OFFSET_TYPE:
            raise UnsupportedType()
        offset = _int_header(request, "Upload-Offset")
        length = request.headers.get("Content-Length")
        upload = uploads.upload_append(
            # The Django request itself, read as a stream: DRF's wrapper would parse or buffer it.
            upload=upload, offset=offset, read=request._request.read,
            content_length=int(length) if length and length.isdigit() else None,
            checksum=uploads.parse_checksum(request.headers.get("Upload-Checksum")),
        )
        if upload.offset == upload.length and not upload.completed:
            uploads.upload_complete(upload=upload)
        return Response(status=status.HTTP_204_NO_CONTENT, headers={
            "Upload-Offset": str(upload.offset), "Upload-Expires": _expires(upload),
            **_video_headers(request, upload)})

    @extend_schema(request=None, responses={204: None}, summary="Terminate an upload (removes the partial file)")
    def delete(self, request, upload_id):
        uploads.upload_terminate(upload=selectors.get_upload_for_user(request.user, upload_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
