"""People's journeys, counted as they live them (issue: "measured as people
use it").

A ``Journey`` drives a Playwright page the way a person does: it signs in,
starts from the public home page, and then every click, field filled, box
ticked, option chosen or file picked is one action. Elements are found by
what a person reads on the screen (roles and French labels), never by CSS
selectors, so a journey breaks when a label a person relies on disappears.

    journey = Journey(browser, demo_server, "dir.lefevre")
    journey.click("link", "Espace de publication")
    journey.fill("Titre", "Sortie au musée")
    journey.within_budget(8)
"""

from playwright.sync_api import expect

DEMO_PASSWORD = "ent-demo-2026"


class Journey:
    def __init__(self, browser, base_url, username=None, viewport=None):
        self.base_url = base_url
        self.context = browser.new_context(
            locale="fr-FR", viewport=viewport or {"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.steps = []
        if username is not None:
            self.sign_in(username)
        self.page.goto(base_url + "/")

    # Not counted: signing in, and where the journey starts.

    def sign_in(self, username, password=DEMO_PASSWORD):
        page = self.page
        page.goto(self.base_url + "/connexion/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe", exact=True).fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()

    # Counted: what a person does.

    def click(self, role, name, exact=False, within=None):
        """Click the element of ``role`` whose accessible name is ``name``."""
        scope = within if within is not None else self.page
        scope.get_by_role(role, name=name, exact=exact).first.click()
        self.page.wait_for_load_state()
        self.count(f"click {role} « {name} »")

    def fill(self, label, value, exact=False):
        """Type ``value`` in the field labelled ``label``."""
        self.field(label, exact).fill(value)
        self.count(f"fill « {label} »")

    def type_in(self, locator, value, description):
        """Type ``value`` in an editor found otherwise (a rich text area,
        known by its role and name)."""
        locator.click()
        locator.press_sequentially(value)
        self.count(f"type in {description}")

    def check(self, label, exact=False):
        # DSFR draws its own box over the input, on the label: click through.
        self.field(label, exact).check(force=True)
        self.count(f"tick « {label} »")

    def select(self, label, option, exact=False):
        self.field(label, exact).select_option(label=option)
        self.count(f"choose « {option} » in « {label} »")

    def choose_file(self, label, path, exact=False):
        self.field(label, exact).set_input_files(path)
        self.count(f"choose a file for « {label} »")

    def field(self, label, exact=False):
        """The form field labelled ``label`` (not a panel or a group that
        bears the same name, as Wagtail's panels do)."""
        fields = self.page.locator("input, textarea, select, [contenteditable=true]")
        return self.page.get_by_label(label, exact=exact).and_(fields).first

    def count(self, step):
        self.steps.append(step)

    # What the person sees at the end.

    def sees(self, text):
        expect(self.page.get_by_text(text).first).to_be_visible()

    @property
    def actions(self):
        return len(self.steps)

    def within_budget(self, budget):
        steps = "\n".join(f"  {n}. {step}" for n, step in enumerate(self.steps, 1))
        assert self.actions <= budget, (
            f"{self.actions} actions, over the budget of {budget}:\n{steps}"
        )

    def close(self):
        self.context.close()
