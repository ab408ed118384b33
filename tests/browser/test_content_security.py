"""The Content-Security-Policy in a real browser, and canaries proving the console check can fail."""

from playwright.sync_api import expect


def test_the_csp_blocks_an_inline_script_and_the_console_check_reports_it(page, console_errors):
    page.goto("/")
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            """() => {
                const script = document.createElement('script');
                script.textContent = 'document.title = "injecté"';
                document.body.append(script);
            }"""
        )
    expect(page).not_to_have_title("injecté")
    found = console_errors.take()
    assert any("Content Security Policy" in error for error in found), found


def test_the_csp_blocks_an_inline_style_attribute(page, console_errors):
    page.goto("/compte/connexion")
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate("() => document.querySelector('h1').setAttribute('style', 'color: rgb(255, 0, 0)')")
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).color") != "rgb(255, 0, 0)"
    assert any("Content Security Policy" in error for error in console_errors.take())


def test_the_check_reports_a_missing_image_and_a_script_error(page, console_errors):
    page.goto("/")
    missing = "/static/absent.png"
    with page.expect_response(lambda response: response.url.endswith(missing)):
        page.evaluate("src => document.querySelector('main').append(Object.assign(new Image(), {src}))", missing)
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('panne'); }); }")
    found = console_errors.take()
    assert any("404 for" in error and "absent.png" in error for error in found), found
    assert any("panne" in error for error in found), found


def test_axe_runs_under_the_csp(page, axe_violations, console_errors):
    page.goto("/")
    assert axe_violations(page) == []
    assert list(console_errors) == []
