"""Replay URLs follow Valve's cluster hosts, or a configured replay host."""

from __future__ import annotations

from tasks.replay.url import replay_url


def test_url_uses_the_valve_host_of_the_cluster(replay_config) -> None:
    assert replay_url(7490235544, 153, 447089001) == (
        "http://replay153.valve.net/570/7490235544_447089001.dem.bz2"
    )


def test_china_clusters_use_the_chinese_host(replay_config) -> None:
    for cluster in (413, 415, 417):
        assert replay_url(1, cluster, 2) == f"http://replay{cluster}.dota2.com.cn/570/1_2.dem.bz2"


def test_a_configured_base_url_replaces_the_host(replay_config) -> None:
    replay_config.setenv("YASP_REPLAY_BASE_URL", "http://127.0.0.1:9/")
    assert replay_url(5, 153, 6) == "http://127.0.0.1:9/570/5_6.dem.bz2"
