from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.selectors import user_settings_get
from mediaportal.startup import RECOVERY_HOOKS
from streaming import crypto
from streaming.models import Destination, Stream, StreamState, StreamTarget
from streaming.services import (InstanceBusy, SourceMissing, StreamLimitReached, destination_create,
                                destination_update, stream_reap_stale, stream_recover_after_restart, stream_start,
                                stream_stop)
from tests.streaming.conftest import KEY, custom_destination, make_video

pytestmark = pytest.mark.django_db


def test_the_key_is_stored_encrypted(alice):
    dest = destination_create(owner=alice, name="YT", platform="youtube", stream_key=KEY)
    row = Destination.objects.get(pk=dest.pk)
    assert KEY not in row.stream_key_encrypted and crypto.decrypt(row.stream_key_encrypted) == KEY
    assert row.ingest_url == "rtmps://a.rtmps.youtube.com:443/live2" and row.url == ""


def test_insecure_twitch_uses_plain_rtmp(alice):
    dest = destination_create(owner=alice, name="T", platform="twitch", stream_key=KEY, secure=False)
    assert dest.ingest_url == "rtmp://live.twitch.tv/app"


@pytest.mark.parametrize("kwargs, field", [
    ({"name": "", "platform": "youtube", "stream_key": KEY}, "name"),
    ({"name": "x", "platform": "myspace", "stream_key": KEY}, "platform"),
    ({"name": "x", "platform": "custom", "url": "file:/tmp/a.flv", "stream_key": KEY}, "url"),
    ({"name": "x", "platform": "youtube", "url": "rtmp://evil/app", "stream_key": KEY}, "url"),
    ({"name": "x", "platform": "youtube", "stream_key": ""}, "stream_key"),
    ({"name": "x", "platform": "youtube", "stream_key": "two words"}, "stream_key"),
])
def test_bad_destinations_are_refused_and_nothing_is_saved(alice, kwargs, field):
    with pytest.raises(ValidationError) as info:
        destination_create(owner=alice, **kwargs)
    assert field in info.value.message_dict
    assert not Destination.objects.exists()


def test_names_are_unique_per_user_only(alice, bob):
    destination_create(owner=alice, name="YT", platform="youtube", stream_key=KEY)
    destination_create(owner=bob, name="YT", platform="youtube", stream_key=KEY)
    with pytest.raises(ValidationError, match="already have"):
        destination_create(owner=alice, name="YT", platform="twitch", stream_key=KEY)


def test_update_keeps_the_key_unless_a_new_one_is_given(alice):
    dest = custom_destination(alice, "rtmp://a.example/app")
    old = dest.stream_key_encrypted
    destination_update(destination=dest, name="renamed", stream_key="")
    dest.refresh_from_db()
    assert (dest.name, dest.stream_key_encrypted) == ("renamed", old)
    destination_update(destination=dest, stream_key="NewKey77")
    assert crypto.decrypt(Destination.objects.get(pk=dest.pk).stream_key_encrypted) == "NewKey77"
    destination_update(destination=dest, platform="youtube")
    dest.refresh_from_db()
    assert (dest.platform, dest.url) == ("youtube", "")


def test_start_creates_a_starting_stream_and_enqueues_it(alice, clips, enqueued, django_capture_on_commit_callbacks):
    video = make_video(alice, clips.av_mp4)
    dests = [custom_destination(alice, "rtmp://a.example/app", "a"), custom_destination(alice, "rtmp://b/app", "b")]
    with django_capture_on_commit_callbacks(execute=True):
        stream = stream_start(owner=alice, video=video, rendition=None, destinations=dests, loop=True)
    assert (stream.state, stream.loop, stream.title) == (StreamState.STARTING, True, "clip")
    assert [(t.name, t.position, t.state) for t in stream.targets.all()] == [("a", 0, "pending"), ("b", 1, "pending")]
    assert enqueued == [stream.pk]


def test_a_destination_of_another_user_is_refused(alice, bob, clips):
    video = make_video(alice, clips.av_mp4)
    with pytest.raises(ValidationError, match="your own"):
        stream_start(owner=alice, video=video, rendition=None,
                     destinations=[custom_destination(bob, "rtmp://b/app")], loop=False)
    assert not Stream.objects.exists()


def test_a_missing_file_is_refused_before_starting(alice, clips):
    video = make_video(alice, clips.av_mp4)
    from library.storage import absolute

    absolute(video.original.name).unlink()
    with pytest.raises(SourceMissing, match="missing"):
        stream_start(owner=alice, video=video, rendition=None,
                     destinations=[custom_destination(alice, "rtmp://a/app")], loop=False)
    assert not Stream.objects.exists()


def test_per_user_limit(alice, clips, settings):
    settings.MAX_STREAMS_PER_USER = 1
    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a/app")
    stream_start(owner=alice, video=video, rendition=None, destinations=[dest], loop=False)
    with pytest.raises(StreamLimitReached, match=r"your limit is 1"):
        stream_start(owner=alice, video=video, rendition=None, destinations=[dest], loop=False)
    row = user_settings_get(user=alice)
    row.max_streams = 2
    row.save()
    stream_start(owner=alice, video=video, rendition=None, destinations=[dest], loop=False)
    assert Stream.objects.filter(owner=alice).count() == 2


def test_instance_limit(alice, bob, clips, settings):
    settings.MAX_STREAMS = 1
    stream_start(owner=alice, video=make_video(alice, clips.av_mp4), rendition=None,
                 destinations=[custom_destination(alice, "rtmp://a/app")], loop=False)
    with pytest.raises(InstanceBusy, match="maximum of 1"):
        stream_start(owner=bob, video=make_video(bob, clips.av_mp4), rendition=None,
                     destinations=[custom_destination(bob, "rtmp://a/app")], loop=False)


def _stream(alice, clips, **fields) -> Stream:
    dest = Destination.objects.filter(owner=alice).first() or custom_destination(alice, "rtmp://a/app")
    stream = stream_start(owner=alice, video=make_video(alice, clips.av_mp4), rendition=None,
                          destinations=[dest], loop=False)
    Stream.objects.filter(pk=stream.pk).update(**fields)
    stream.refresh_from_db()
    return stream


def test_stop_before_a_worker_took_it_stops_at_once(alice, clips):
    stream = stream_stop(stream=_stream(alice, clips))
    assert (stream.state, stream.stop_requested) == (StreamState.STOPPED, True)


def test_stop_of_a_running_stream_asks_the_worker(alice, clips):
    stream = stream_stop(stream=_stream(alice, clips, state=StreamState.LIVE, worker_pid=123))
    assert (stream.state, stream.stop_requested) == (StreamState.LIVE, True)


def test_stale_streams_are_failed(alice, clips):
    stale = _stream(alice, clips, state=StreamState.LIVE)
    fresh = _stream(alice, clips, state=StreamState.LIVE, heartbeat=timezone.now())
    Stream.objects.filter(pk=stale.pk).update(heartbeat=timezone.now() - timedelta(minutes=5))
    assert stream_reap_stale() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.state == StreamState.FAILED and "stopped answering" in stale.error
    assert fresh.state == StreamState.LIVE


def test_after_a_restart_nothing_is_live(alice, clips):
    live = _stream(alice, clips, state=StreamState.LIVE, worker_pid=1)
    done = _stream(alice, clips, state=StreamState.FINISHED)
    assert stream_recover_after_restart in RECOVERY_HOOKS
    from mediaportal.startup import recover_after_restart

    recover_after_restart()
    live.refresh_from_db()
    done.refresh_from_db()
    assert (live.state, live.error) == (StreamState.FAILED, "the platform restarted")
    assert done.state == StreamState.FINISHED
    assert set(StreamTarget.objects.filter(stream=live).values_list("state", flat=True)) == {"failed"}


def _rendition(video, clip):
    import shutil

    from library.models import Rendition
    from library.storage import new_name, relative, user_dir

    dst = user_dir(video.owner_id, "renditions") / new_name(".mp4")
    shutil.copyfile(clip, dst)
    return Rendition.objects.create(video=video, preset_slug="h264-720p", file=relative(dst))


def test_source_is_the_rendition_when_picked_or_when_the_original_was_replaced(alice, clips):
    from library.storage import absolute
    from streaming.services import stream_source

    video = make_video(alice, clips.av_mp4)
    rendition = _rendition(video, clips.av_mp4)
    assert stream_source(video=video, rendition=None) == str(absolute(video.original.name))
    assert stream_source(video=video, rendition=rendition) == str(absolute(rendition.file.name))
    absolute(video.original.name).unlink()
    video.original = ""
    video.save()
    assert stream_source(video=video, rendition=None) == str(absolute(rendition.file.name))


def test_a_rendition_of_another_video_is_refused(alice, clips):
    video, other = make_video(alice, clips.av_mp4), make_video(alice, clips.av_mp4)
    with pytest.raises(ValidationError, match="another video"):
        stream_start(owner=alice, video=video, rendition=_rendition(other, clips.av_mp4),
                     destinations=[custom_destination(alice, "rtmp://a/app")], loop=False)


def test_a_destination_without_key_cannot_be_used(alice, clips):
    dest = custom_destination(alice, "rtmp://a/app")
    Destination.objects.filter(pk=dest.pk).update(stream_key_encrypted="")
    dest.refresh_from_db()
    with pytest.raises(ValidationError, match="Set a stream key"):
        stream_start(owner=alice, video=make_video(alice, clips.av_mp4), rendition=None, destinations=[dest],
                     loop=False)


def test_the_cluster_fails_silent_streams_every_minute():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="streaming.tasks.reap_stale")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
