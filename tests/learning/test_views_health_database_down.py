"""``/healthz`` with the database gone: 503, so the load balancer takes the server out.

No ``django_db`` mark: the test closes the connection and points it at a database that
cannot be reached, which a test transaction would not allow."""

from django.db import connection

from tests.fixtures_redis import free_port


def test_database_down_answers_503_so_the_load_balancer_takes_the_server_out(
    client, django_db_blocker
):
    with django_db_blocker.unblock():
        connection.close()
        saved = dict(connection.settings_dict)
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-folder/db.sqlite3"
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.update(saved)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
