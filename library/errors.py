"""The library's refusals, rendered as {"detail": ..., "code": ...} by mediaportal.api_errors."""

from rest_framework import status
from rest_framework.exceptions import APIException


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The file is larger than the largest upload allowed."
    default_code = "too_large"


class QuotaExceeded(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "This upload would exceed your storage quota."
    default_code = "quota_exceeded"


class NotMedia(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The file is not a video or audio file."
    default_code = "not_media"


class EmptyFile(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The file is empty (0 bytes): there is nothing to upload."
    default_code = "empty"


class BadUpload(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid upload request."
    default_code = "invalid"


class UnknownPreset(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Unknown preset."
    default_code = "unknown_preset"


class OffsetConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Upload-Offset does not match the server's offset: ask with HEAD and resume from there."
    default_code = "offset_mismatch"


class ChecksumMismatch(APIException):
    status_code = 460  # tus checksum extension: "Checksum Mismatch"
    default_detail = "The chunk's checksum does not match: it was discarded, send it again."
    default_code = "checksum_mismatch"


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This upload has expired or was removed."
    default_code = "gone"
