"""The bare view ``/sante/``: what load balancers ask and what ``make bench``
measures every page against."""


def test_the_health_check_answers_without_the_database(
    db, client, django_assert_num_queries
):
    client.get("/sante/")  # The site's address is read once per process.
    with django_assert_num_queries(0):
        response = client.get("/sante/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response.headers["Cache-Control"]
