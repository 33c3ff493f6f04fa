from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.selectors import user_settings_get
from accounts.services import user_register, user_settings_update, user_update
from encoding.models import Preset


def _drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class RegisterThrottle(AnonRateThrottle):
    scope = "register"
    rate = "20/hour"


class RegisterInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(required=False)
    default_preset = serializers.SlugRelatedField(
        slug_field="slug", queryset=Preset.objects.filter(is_active=True), allow_null=True, required=False
    )
    auto_encode = serializers.BooleanField(required=False)
    keep_original = serializers.BooleanField(required=False)


def _me_data(user) -> dict:
    s = user_settings_get(user=user)
    return MeSerializer(
        {"id": user.pk, "username": user.username, "email": user.email, "default_preset": s.default_preset,
         "auto_encode": s.auto_encode, "keep_original": s.keep_original}
    ).data


class RegisteredSerializer(MeSerializer):
    token = serializers.CharField(read_only=True)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    username = serializers.CharField()


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [RegisterThrottle]
    serializer_class = RegisterInput

    @extend_schema(request=RegisterInput, responses={201: RegisteredSerializer})
    def post(self, request):
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = user_register(**data.validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        token, _ = Token.objects.get_or_create(user=user)
        return Response({**_me_data(user), "token": token.key}, status=status.HTTP_201_CREATED)


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenApi(APIView):
    """Exchange username and password for a token; failures count towards the login lockout."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = TokenInput

    @extend_schema(request=TokenInput, responses={200: TokenOutput})
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # django-axes needs the HttpRequest to count failures per username and address.
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise serializers.ValidationError({"non_field_errors": ["Unable to log in with those credentials."]})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "username": user.username})


class MeApi(APIView):
    serializer_class = MeSerializer

    def get(self, request):
        return Response(_me_data(request.user))

    def patch(self, request):
        data = MeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            if "email" in values:
                user_update(user=request.user, email=values.pop("email"))
            if values:
                user_settings_update(user=request.user, data=values)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response(_me_data(request.user))
