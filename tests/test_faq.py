"""The seed's six questions answered live (docs/design.md, "The FAQ users come with"): the numbers
in the answers are the ones the service shows for the same user and video."""

import re

from tests.worlds import World
from wholiked.core.answers.faq import QUESTIONS
from wholiked.core.service import Wholiked

DESIGN_QUESTIONS = [
    "Is it possible to see a complete list of the users who liked a video?",
    "How is the number of likes shown?",
    "Do privacy settings affect the visibility of likes?",
    "Can third-party analytics tools reveal who liked a video?",
    "Does a creator account give more detail about who is liking videos?",
    "Why does the platform limit the visibility of individual likers?",
]


def _world() -> World:
    """cara posts videos 1 (2 likes) and 2 (7 likes: 4 public, 1 friend, 2 strangers);
    vi (private, one approved follower) liked video 2 and, later, otto's video 3
    (also liked by a public fan and a private stranger); pat has no videos nor likes."""
    w = World()
    w.user("cara", creator=True)
    w.user("otto", creator=True)
    w.user("vi", private=True)
    w.user("pat")
    w.follow("pat", "vi")
    one, two, three = w.video("cara"), w.video("cara"), w.video("otto")
    for i in range(4):
        w.user(f"fan{i}")
        w.like(f"fan{i}", two)
    w.user("friend", private=True)
    w.follow("cara", "friend")
    w.like("friend", two)
    w.like("vi", two, "2026-11-01T00:00:00Z")
    w.like("vi", three, "2026-11-02T00:00:00Z")
    w.user("stranger", private=True)
    w.like("stranger", two)
    w.like("fan0", one)
    w.like("fan1", one)
    w.like("fan2", three)
    w.like("stranger", three)
    return w


def _answers(service: Wholiked, handle: str) -> list[str]:
    result = service.faq(service.user(handle))
    assert [r.question for r in result] == DESIGN_QUESTIONS == list(QUESTIONS)
    assert all(r.answer for r in result)
    return [r.answer for r in result]


def _num(text: str) -> int:
    return int(text.replace(",", ""))


def test_creator_answers_use_her_most_liked_video(open_world):
    service = open_world(_world())
    cara = service.user("cara")
    answers = _answers(service, "cara")
    likers = service.likers(2, cara)
    assert (likers.total, likers.identifiable_count, likers.anonymous) == (7, 5, 2)
    m = re.search(
        r"For your video (\d+) you can identify ([\d,]+) of ([\d,]+) likers; ([\d,]+) are",
        answers[0],
    )
    assert m and [int(m[1]), _num(m[2]), _num(m[3]), _num(m[4])] == [2, 5, 7, 2]
    m = re.search(
        r"your video 2 shows ([\d,]+) likes .* The ([\d,]+) likers .* the other ([\d,]+)",
        answers[1],
    )
    assert m and [_num(g) for g in m.groups()] == [7, 5, 2]
    assert "on your video 2, 2 of the 7 likes come from accounts anonymous to you" in answers[2]
    audience = service.audience(2, cara)
    assert f"could be seen by at most {audience.audience_at_most} users" in answers[2]
    assert "so on your video 2 you identify 5 of 7" in answers[4]
    assert "keeps 2 likers anonymous to you" in answers[5]
    for i in (2, 5):
        assert "not a documented rule of any real platform" in answers[i]


def test_third_party_answer_explains_the_blurred_release(open_world):
    """Q4: no tool lists likers; the creator's release is blurred; her own numbers agree
    with the likers view (5 of 7 by name on her video 2)."""
    service = open_world(_world())
    answers = _answers(service, "cara")
    assert "blurred on purpose" in answers[3] and "differential privacy" in answers[3]
    assert "For your video 2 you identify 5 of 7 likes by name" in answers[3]


def test_third_party_answer_for_a_video_of_someone_else(open_world):
    """Q4 for a viewer's example: the creator names whom the rules let anyone name, the
    rest reaches them only blurred (never "only as aggregates" when they name some)."""
    w = World()
    w.user("cara", creator=True)
    x = w.video("cara")
    for i in range(6):
        w.user(f"fan{i}")
        w.like(f"fan{i}", x)
    service = open_world(w)
    answers = _answers(service, "fan0")
    assert "identifies by name the likers the rules let anyone identify" in answers[3]
    assert "you can identify all 6 likers" in answers[0]


def test_viewer_answers_use_the_liked_video_that_shows_the_rule(open_world):
    """vi liked video 2 (2 likes anonymous to her) and, later, video 3 (1 anonymous): the
    example is the one with the most anonymous likes, not merely the latest."""
    service = open_world(_world())
    vi = service.user("vi")
    answers = _answers(service, "vi")
    likers = service.likers(2, vi)
    assert service.likers(3, vi).anonymous == 1 < likers.anonymous == 2
    assert "video 2 by @cara (a video you liked)" in answers[0]
    assert (
        f"you can identify {likers.identifiable_count} of {likers.total} likers; "
        f"{likers.anonymous} are anonymous" in answers[0]
    )
    audience = service.audience(2, vi)
    assert audience.liked and audience.audience_at_most == 1  # pat, vi's approved follower
    assert "your like there can be seen by at most 1 user (your approved followers" in answers[2]
    assert "your 2 likes can be seen only by your 1 approved follower" in answers[2]
    assert "its creator is held to the same rule" in answers[4]


def test_ties_go_to_the_video_liked_most_recently(open_world):
    w = World()
    w.user("cara", creator=True)
    w.user("vi")
    w.user("shy", private=True)
    one, two = w.video("cara"), w.video("cara")
    for x, at in ((one, "2026-11-01T00:00:00Z"), (two, "2026-11-03T00:00:00Z")):
        w.like("vi", x, at)
        w.like("shy", x)
    answers = _answers(open_world(w), "vi")
    assert "video 2 by @cara (a video you liked)" in answers[0]


def _no_contradiction(answers: list[str]) -> None:
    text = " ".join(answers)
    assert not re.search(r"\bthe other 0\b|\b0 of the\b|keeps 0 likers|all 1 liker\b", text)


def test_answers_never_contradict_their_numbers(open_world):
    """A viewer whose every liked video has no anonymous like: no "the other 0", no
    "Nobody sees every liker" next to "you can identify all 3"."""
    w = World()
    w.user("cara", creator=True)
    w.user("vi", private=True)
    x = w.video("cara")
    for handle in ("vi", "ann", "bob"):
        if handle != "vi":
            w.user(handle)
        w.like(handle, x)
    answers = _answers(open_world(w), "vi")
    assert "you can identify all 3 likers" in answers[0]
    assert "Nobody sees every liker" not in answers[0]
    assert "None is anonymous to you there" in answers[1]
    assert "none of the 3 likes comes from an account anonymous to you" in answers[2]
    assert "keeps no liker anonymous to you right now" in answers[5]
    _no_contradiction(answers)


def test_demo_private_viewer_example_has_anonymous_likes(service):
    """In the demo, @sam.quiet's example is a liked video with likes anonymous to her, and
    the answers use its numbers."""
    sam = service.user("sam.quiet")
    answers = _answers(service, "sam.quiet")
    video_id = int(re.search(r"video (\d+) by", answers[0]).group(1))
    likers = service.likers(video_id, sam, limit=0)
    assert likers.anonymous > 0
    assert f"the other {likers.anonymous:,}" in answers[1]
    _no_contradiction(answers)


def test_personal_account_with_a_video(open_world):
    w = _world()
    w.video("pat")
    w.like("fan0", 4)
    service = open_world(w)
    answers = _answers(service, "pat")
    assert "For your video 4 you can identify its one liker" in answers[0]
    assert "As a personal account you see totals only (your video 4: 1 like)" in answers[3]
    assert "You have a personal account" in answers[4] and "switch to see them" in answers[4]


def test_user_with_no_videos_and_no_likes_gets_general_answers(open_world):
    answers = _answers(open_world(_world()), "pat")
    assert "no numbers of yours to show yet" in answers[0]
    assert "your account is public, so a like you give can be seen by everyone" in answers[5]
    assert not re.search(r"video \d", " ".join(answers))
