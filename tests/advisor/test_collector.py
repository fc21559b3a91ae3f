"""The garbage collector is paused while a design is built, and resumed as it was."""

from __future__ import annotations

import gc
import threading

from advisor.collector import collector_paused
from advisor.design import create_design
from advisor.requirements import read_requirements

SHOP = "format: advisor/v1\nproject: Shop\nentities: [{name: customer}, {name: order}]"


def test_a_design_is_built_with_the_collector_paused_and_resumes_it_after() -> None:
    seen: list[bool] = []
    create_design(read_requirements(SHOP), progress=lambda stage, done: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()


def test_the_collector_resumes_only_when_the_last_concurrent_build_ends() -> None:
    first_inside, second_done = threading.Event(), threading.Event()
    during: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_inside.set()
            second_done.wait(5)
            during.append(gc.isenabled())

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(5)
    with collector_paused():
        pass
    during.append(gc.isenabled())  # the first build is still running
    second_done.set()
    thread.join(5)
    assert during == [False, False]
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_lasting_block_made_is_not_walked_by_the_next_young_collection() -> None:
    with collector_paused(lasting=True):
        made = [[index] for index in range(5_000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(item is made[0] for item in gc.get_objects(generation=2))  # the oldest


def test_a_lasting_block_leaves_what_the_program_froze_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused(lasting=True):
            made = [[index] for index in range(5_000)]
        # Still frozen (unfrozen would be 0); an object frozen at the start may have been freed.
        assert 0 < gc.get_freeze_count() <= frozen and made
    finally:
        gc.unfreeze()
