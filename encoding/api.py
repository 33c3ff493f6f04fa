"""The jobs API: thin views over encoding.services and encoding.selectors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from encoding import selectors, services
from encoding.models import Job
from encoding.serializers import JobCreateSerializer, JobSerializer, PresetSerializer
from library.errors import QuotaExceeded
from library.selectors import get_video_for_user


MAX_ID = 2**63 - 1  # larger ids overflow the database's integer


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


def _api_error(exc: services.JobError) -> APIException:
    if isinstance(exc, services.PresetUnavailable):
        return serializers.ValidationError({"preset": [exc.message]}, code=exc.code)
    if isinstance(exc, services.OverQuota):
        return QuotaExceeded(exc.message, code=exc.code)
    return Conflict(exc.message, code=exc.code)


class PresetListApi(generics.ListAPIView):
    serializer_class = PresetSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.preset_list()


class JobListApi(generics.ListAPIView):
    serializer_class = JobSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=[s.value for s in Job.State]),
            OpenApiParameter("video", int),
        ],
        responses=JobSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        state = self.request.query_params.get("state") or None
        if state is not None and state not in Job.State.values:
            raise serializers.ValidationError({"state": [f"Must be one of {', '.join(Job.State.values)}."]})
        video = self.request.query_params.get("video") or None
        if video is not None and not (video.isdigit() and int(video) <= MAX_ID):
            raise serializers.ValidationError({"video": ["Must be a video id."]})
        return selectors.job_list(owner=self.request.user, state=state, video_id=int(video) if video else None)

    @extend_schema(request=JobCreateSerializer, responses={201: JobSerializer})
    def post(self, request):
        data = JobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        video = get_video_for_user(request.user, data.validated_data["video"])
        try:
            preset = services.preset_get_active(data.validated_data["preset"])
            job = services.job_create(owner=request.user, video=video, preset=preset)
        except services.JobError as exc:
            raise _api_error(exc) from None
        job.refresh_from_db()  # dispatch ran on commit: the queue position is known now
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailApi(APIView):
    serializer_class = JobSerializer

    def get(self, request, job_id: int):
        return Response(JobSerializer(selectors.get_job_for_user(request.user, job_id)).data)


class JobCancelApi(APIView):
    """Queued: cancelled at once. Running: ffmpeg is stopped within a second and the job ends cancelled."""

    serializer_class = JobSerializer

    @extend_schema(request=None, responses=JobSerializer)
    def post(self, request, job_id: int):
        job = selectors.get_job_for_user(request.user, job_id)
        try:
            job = services.job_cancel(job=job)
        except services.JobError as exc:
            raise _api_error(exc) from None
        return Response(JobSerializer(job).data)


class JobRetryApi(APIView):
    """A failed or cancelled job runs again as a new job (returned)."""

    serializer_class = JobSerializer

    @extend_schema(request=None, responses={201: JobSerializer})
    def post(self, request, job_id: int):
        job = selectors.get_job_for_user(request.user, job_id)
        try:
            new = services.job_retry(job=job)
        except services.JobError as exc:
            raise _api_error(exc) from None
        new.refresh_from_db()
        return Response(JobSerializer(new).data, status=status.HTTP_201_CREATED)
