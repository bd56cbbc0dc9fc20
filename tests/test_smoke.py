def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Sign in" in response.data


def test_admin_signs_in_and_sees_dashboard(client, auth, factory):
    admin = factory.user("admin", email="boss@example.test")
    response = auth.login("boss@example.test", follow_redirects=True)
    assert response.status_code == 200
    assert admin.display_name.encode() in response.data
    assert b"New stylists" in response.data
