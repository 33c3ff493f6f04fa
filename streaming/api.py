"""/api/v1/destinations/ and /api/v1/streams/: thin views over services and selectors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from library.selectors import get_rendition_for_user, get_video_for_user
from streaming import services
from streaming.selectors import destination_list, get_destination_for_user, get_stream_for_user, stream_list
from streaming.serializers import DestinationSerializer, StreamSerializer, StreamStartSerializer


def _as_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class DestinationListApi(generics.ListCreateAPIView):
    serializer_class = DestinationSerializer

    def get_queryset(self):
        return destination_list(owner=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.destination_create(
                owner=self.request.user, name=data["name"], platform=data["platform"], url=data.get("url", ""),
                secure=data.get("secure", True), stream_key=data.get("stream_key", ""))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None


class DestinationDetailApi(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = DestinationSerializer

    def get_object(self):
        return get_destination_for_user(self.request.user, self.kwargs["pk"])

    def perform_update(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.destination_update(
                destination=serializer.instance, name=data.get("name"), platform=data.get("platform"),
                url=data["url"] if "url" in self.request.data else None, secure=data.get("secure"),
                stream_key=data.get("stream_key"))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def perform_destroy(self, instance):
        services.destination_delete(destination=instance)


class StreamListApi(generics.ListAPIView):
    serializer_class = StreamSerializer

    def get_queryset(self):
        return stream_list(owner=self.request.user)

    @extend_schema(request=StreamStartSerializer, responses={201: StreamSerializer})
    def post(self, request):
        form = StreamStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = request.user
        rendition = get_rendition_for_user(user, data["rendition"]) if "rendition" in data else None
        video = rendition.video if rendition is not None else get_video_for_user(user, data["video"])
        destinations = [get_destination_for_user(user, pk) for pk in data["destinations"]]
        try:
            stream = services.stream_start(owner=user, video=video, rendition=rendition,
                                           destinations=destinations, loop=data["loop"])
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
        return Response(StreamSerializer(stream).data, status=status.HTTP_201_CREATED)


class StreamDetailApi(generics.RetrieveAPIView):
    serializer_class = StreamSerializer

    def get_object(self):
        return get_stream_for_user(self.request.user, self.kwargs["pk"])


class StreamStopApi(APIView):
    serializer_class = StreamSerializer

    @extend_schema(request=None, responses={200: StreamSerializer})
    def post(self, request, pk):
        stream = services.stream_stop(stream=get_stream_for_user(request.user, pk))
        return Response(StreamSerializer(stream).data)
