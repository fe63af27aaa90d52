"""The whole pipeline on the bundled real data, undisturbed and with a worker killed."""

from __future__ import annotations

import pytest

from infra.local.run import demo_start, final_states, pipeline_run
from tasks.storage.mongo import database

from .conftest import EXPECTED, first_seq, kill_hard, wait_for_file

pytestmark = pytest.mark.slow


def test_every_match_of_the_bundled_data_reaches_its_final_state(stack_factory):
    stack = stack_factory()
    db = database()
    assert pipeline_run(stack, db, first_seq(stack), timeout=600)
    assert final_states(db) == EXPECTED


@pytest.mark.parametrize(
    ("pool", "failpoint"),
    [("parse", "parse.before_save"), ("retriever-local", "salts.before_record")],
)
def test_a_worker_killed_mid_run_ends_every_match_as_an_undisturbed_run(
    stack_factory, tmp_path, pool, failpoint
):
    marks = tmp_path / "marks"
    stack = stack_factory(
        failpoints={pool: f"{failpoint}=sleep:900"},
        settings_extra={"YASP_FAILPOINT_DIR": str(marks)},
    )
    db = database()
    demo_start(stack, db, first_seq(stack))
    flow_run_pids = wait_for_file(marks / failpoint, timeout=300)

    kill_hard(stack, f"worker-{pool}", flow_run_pids)
    stack.worker_envs[pool] = stack.env
    stack.worker_start(pool)

    assert pipeline_run(stack, db, first_seq(stack), timeout=900)
    assert final_states(db) == EXPECTED
