// What axe finds in Wagtail's own admin widgets (axe: "label"), mended
// here, now and in forms shown later (tests/test_accessibility.py):
// - the tag field (jQuery tag-it) types into an input of its own, next to
//   the field's hidden one, without the field's label: it gets that label;
// - the multiple upload's file input, hidden behind its button, has no
//   label: it gets the button's text;
// - a rich text block's editor (Draftail) has no name: it gets its field's
//   label, or in a StreamField its block's type (« Paragraphe »).
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

    function nameRichTextEditors(root) {
        root.querySelectorAll(".public-DraftEditor-content[role='textbox']:not([aria-label]):not([aria-labelledby])").forEach(function (editor) {
            var wrapper = editor.closest("[data-field-wrapper]");
            var label = wrapper && wrapper.querySelector(".w-field__label");
            var panel = editor.closest(".w-panel");
            var type = panel && panel.querySelector(".c-sf-block__type");
            var name = (label || type || {textContent: ""}).textContent.trim();
            if (name) {
                editor.setAttribute("aria-label", name);
            }
        });
    }

    var scheduled = false;

    function mend() {
        scheduled = false;
        labelTagInputs(document);
        labelUploadInputs(document);
        nameRichTextEditors(document);
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
