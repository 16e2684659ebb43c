import uuid

from launcher.ui.single_instance import SingleInstance, ask_running_instance_to_raise, server_name


def test_second_start_asks_the_first_to_come_forward(qtbot):
    name = server_name(uuid.uuid4().hex)
    assert not ask_running_instance_to_raise(name, timeout_ms=200)  # nobody there yet
    first = SingleInstance(name)
    assert first.listen()
    with qtbot.waitSignal(first.raiseRequested, timeout=5000):
        assert ask_running_instance_to_raise(name)
    first.server.close()


def test_stale_socket_is_replaced(qtbot):
    name = server_name(uuid.uuid4().hex)
    crashed = SingleInstance(name)
    assert crashed.listen()
    second = SingleInstance(name)
    assert second.listen()  # removes what it cannot distinguish from a crashed instance's socket
    second.server.close()
    crashed.server.close()


def test_names_differ_per_suffix():
    assert server_name("a") != server_name("b")
    assert server_name("a") == server_name("a")
