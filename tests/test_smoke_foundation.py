from tests.conftest import login


def test_admin_logs_in_and_sees_the_county(client, county, make_user):
    admin = make_user("admin", area=county["county"])
    login(client, admin)
    page = client.get("/areas/", follow_redirects=True)
    assert page.status_code == 200
    assert "城关镇" in page.get_data(as_text=True)
