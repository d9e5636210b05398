// What axe finds in Wagtail's own admin widgets (axe: "label"), mended
// here, now and in forms shown later (tests/test_accessibility.py):
// - the tag field (jQuery tag-it) types into an input of its own, next to
//   the field's hidden one, without the field's label: it gets that label;
// - the multiple upload's file input, hidden behind its button, has no
//   label: it gets the button's text.
(function () {
    "use strict";

    function labelUploadInputs(root) {
        root.querySelectorAll(".replace-file-input > input[type='file']:not([aria-label])").forEach(function (input) {
            var button = input.parentElement.querySelector("button");
            if (button && !input.labels.length) {
                input.setAttribute("aria-label", button.textContent.trim());
            }
        });
    }

    function labelTagInputs(root) {
        root.querySelectorAll("input[data-controller~='w-tag'][id]").forEach(function (field) {
            var list = field.nextElementSibling;
            var input = list && list.matches("ul.tagit") && list.querySelector("input");
            if (!input || input.hasAttribute("aria-labelledby")) {
                return;
            }
            var label = document.getElementById(field.id + "-label")
                || document.querySelector("label[for='" + field.id + "']");
            if (label) {
                if (!label.id) {
                    label.id = field.id + "-label";
                }
                input.setAttribute("aria-labelledby", label.id);
            }
        });
    }

    var scheduled = false;

    function mend() {
        scheduled = false;
        labelTagInputs(document);
        labelUploadInputs(document);
    }

    // Once per frame at most, however many nodes the admin adds.
    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(mend);
        }
    }

    new MutationObserver(schedule).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", mend);
}());
