// What the book adds to mdBook's pages for its readers (book.toml `additional-js`, loaded after
// mdBook's own book.js on every page). Tested in a real browser by scripts/browser-tests/.
//
// 1. Edit any runnable listing. mdBook only makes a block editable when its fence says
//    `editable`, and then it shows the hidden lines too. So every other runnable listing gets
//    an Edit button (a pencil) that turns it into mdBook's editor, with the whole program the
//    Run button sends; until then it keeps its hidden lines and its eye button.
// 2. Keep a reader's edits. An edited listing is saved in localStorage, keyed by the page's
//    path in the book and the listing's place on the page, and comes back when the reader
//    returns. "Undo changes" (mdBook's button) restores the book's code and forgets the saved
//    copy. A saved copy whose listing has since changed in the book is dropped.
// 3. Copy the command that runs a listing: each `$ cargo run ...` line of a console block gets
//    a button that copies the command, without the `$ `.
'use strict';

(function reader() {
    const STORAGE_PREFIX = 'concurrency-hands-on.edit:';
    const PENCIL = '<span class="fa-svg"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" '
        + 'aria-hidden="true"><path d="M11.8 1.2a1.6 1.6 0 0 1 2.3 0l.7.7a1.6 1.6 0 0 1 0 2.3L5.6 13.4 '
        + '1.5 14.5l1.1-4.1zM3.9 10.6l-.5 2 2-.5 7.3-7.3-1.5-1.5z"/></svg></span>';
    const CLIPBOARD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" aria-hidden="true">'
        + '<path d="M5 1.5h6v2H5zM3.5 2.5H4v2h8v-2h.5A1.5 1.5 0 0 1 14 4v9.5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 '
        + '1.5 0 0 1 2 13.5V4a1.5 1.5 0 0 1 1.5-1.5zm.5 4v1.5h8V6.5zm0 3V11h6V9.5z"/></svg>';

    // ---------------------------------------------------------------------------------------
    // Where we are: the page's path inside the book, the same wherever the book is served.
    // ---------------------------------------------------------------------------------------

    function pageKey() {
        // `path_to_root` is a global constant of mdBook's page template ("", "../", ...).
        const toRoot = typeof path_to_root === 'string' ? path_to_root : '';
        const root = decodeURIComponent(new URL(toRoot || './', location.href).pathname);
        const here = decodeURIComponent(location.pathname);
        const page = here.startsWith(root) ? here.slice(root.length) : here;
        return page === '' || page.endsWith('/') ? page + 'index.html' : page;
    }

    const storage = {
        get(key) {
            try {
                const value = JSON.parse(localStorage.getItem(key));
                return value && typeof value.code === 'string' ? value : null;
            } catch {
                return null;
            }
        },
        set(key, value) {
            try {
                localStorage.setItem(key, JSON.stringify(value));
            } catch {
                // Storage full or disabled: the edit stays on this page only.
            }
        },
        remove(key) {
            try {
                localStorage.removeItem(key);
            } catch {
                // Nothing to forget.
            }
        },
    };

    // ---------------------------------------------------------------------------------------
    // Editable listings
    // ---------------------------------------------------------------------------------------

    function aceTheme() {
        const classes = document.documentElement.classList;
        return ['coal', 'navy', 'ayu'].some(theme => classes.contains(theme))
            ? 'ace/theme/tomorrow_night'
            : 'ace/theme/dawn';
    }

    function runButtonOf(pre) {
        return pre.querySelector('.buttons .play-button');
    }

    function addResetButton(pre, editor) {
        const buttons = pre.querySelector('.buttons');
        const reset = document.createElement('button');
        reset.className = 'reset-button';
        reset.title = 'Undo changes';
        reset.setAttribute('aria-label', reset.title);
        const icon = document.getElementById('fa-clock-rotate-left');
        reset.innerHTML = icon ? icon.innerHTML : '↺';
        reset.addEventListener('click', () => {
            editor.setValue(editor.originalCode);
            editor.clearSelection();
        });
        buttons.insertBefore(reset, buttons.firstChild);
    }

    /** Turns a runnable, read-only listing into mdBook's editor, as its editor.js would have. */
    function makeEditable(pre, original) {
        const code = pre.querySelector('code');
        code.textContent = original;
        code.classList.remove('hide-boring', 'language-rust');
        code.classList.add('editable');
        const editor = window.ace.edit(code);
        editor.setOptions({
            highlightActiveLine: false,
            showPrintMargin: false,
            showLineNumbers: window.playground_line_numbers || false,
            showGutter: window.playground_line_numbers || false,
            maxLines: Infinity,
            fontSize: '0.875em',
        });
        editor.$blockScrolling = Infinity;
        editor.getSession().setMode('ace/mode/rust');
        editor.setTheme(aceTheme());
        editor.originalCode = original;
        editor.commands.addCommand({
            name: 'run',
            bindKey: { win: 'Ctrl-Enter', mac: 'Ctrl-Enter' },
            exec: () => runButtonOf(pre)?.click(),
        });
        (window.editors = window.editors || []).push(editor);

        // The eye button showed the hidden lines; the editor shows them all.
        pre.querySelector('.buttons button[title="Show hidden lines"], .buttons button[title="Hide lines"]')
            ?.remove();
        pre.querySelector('.buttons .edit-button')?.remove();
        addResetButton(pre, editor);
        return editor;
    }

    /** Saves the editor's code whenever it changes, and forgets it when it is the book's again. */
    function keepEdits(pre, editor, key) {
        const save = () => {
            const code = editor.getValue();
            pre.classList.toggle('edited-listing', code !== editor.originalCode);
            if (code === editor.originalCode) {
                storage.remove(key);
            } else {
                storage.set(key, { original: editor.originalCode, code });
            }
        };
        editor.on('change', save);
        // mdBook's reset restores originalCode (which removes the copy through `save`); make sure.
        pre.querySelector('.buttons .reset-button')?.addEventListener('click', () => storage.remove(key));
    }

    function setUpListings() {
        if (!window.ace) {
            return; // mdBook only loads the editor when `playground.editable` is on.
        }
        const page = pageKey();
        Array.from(document.querySelectorAll('pre.playground')).forEach((pre, index) => {
            const code = pre.querySelector('code');
            const key = `${STORAGE_PREFIX}${page}#${index}`;
            let editor = code.classList.contains('editable') ? window.ace.edit(code) : null;
            // What the Run button sends: every line, the hidden ones included.
            const original = editor ? editor.originalCode : code.textContent;
            const saved = storage.get(key);
            if (saved && saved.original !== original) {
                storage.remove(key); // the book's listing changed since the reader edited it
            }
            const restore = saved && saved.original === original && saved.code !== original;

            if (!editor && restore) {
                editor = makeEditable(pre, original);
            }
            if (editor) {
                if (restore) {
                    editor.setValue(saved.code, -1);
                    pre.classList.add('edited-listing');
                }
                keepEdits(pre, editor, key);
                return;
            }
            // Read-only until the reader asks to edit it.
            const buttons = pre.querySelector('.buttons');
            if (!buttons) {
                return;
            }
            const edit = document.createElement('button');
            edit.className = 'edit-button';
            edit.title = 'Edit this listing';
            edit.setAttribute('aria-label', edit.title);
            edit.innerHTML = PENCIL;
            edit.addEventListener('click', () => {
                const created = makeEditable(pre, original);
                keepEdits(pre, created, key);
                created.focus();
            });
            const play = runButtonOf(pre);
            buttons.insertBefore(edit, play ? play.nextSibling : buttons.firstChild);
        });

        // mdBook's theme picker re-themes every editor in `window.editors`, ours included.
    }

    // ---------------------------------------------------------------------------------------
    // Copy the run command
    // ---------------------------------------------------------------------------------------

    const COMMAND_LINE = /^\$ (cargo (?:\+\S+ )?(?:run|test)\b.*)$/;

    async function copy(text) {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
        } else if (window.ClipboardJS) {
            window.ClipboardJS.copy(text); // mdBook's clipboard.min.js, for file:// pages
        } else {
            throw new Error('no clipboard');
        }
    }

    function commandButton(command) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'copy-command';
        button.dataset.command = command;
        button.title = `Copy: ${command}`;
        button.setAttribute('aria-label', `Copy the command: ${command}`);
        button.innerHTML = CLIPBOARD; // an icon only, so the block's own copy button copies no extra text
        button.addEventListener('click', async () => {
            let state = 'copied';
            try {
                await copy(command);
            } catch {
                state = 'copy-failed';
            }
            button.classList.remove('copied', 'copy-failed');
            button.classList.add(state);
            setTimeout(() => button.classList.remove(state), 1500);
        });
        return button;
    }

    /** The text node and offset at character `offset` of `element`'s text. */
    function textPosition(element, offset) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        let seen = 0;
        let last = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const length = node.nodeValue.length;
            if (offset <= seen + length) {
                return { node, offset: offset - seen };
            }
            seen += length;
            last = node;
        }
        return last ? { node: last, offset: last.nodeValue.length } : null;
    }

    function setUpCommands() {
        document.querySelectorAll('pre > code').forEach(code => {
            if (code.parentElement.classList.contains('playground')) {
                return;
            }
            const commands = [];
            let start = 0;
            for (const line of code.textContent.split('\n')) {
                const match = COMMAND_LINE.exec(line.trimEnd());
                if (match) {
                    commands.push({ end: start + line.trimEnd().length, command: match[1].trim() });
                }
                start += line.length + 1;
            }
            // From the last line up, so that inserting a button leaves earlier offsets alone.
            for (const { end, command } of commands.reverse()) {
                const position = textPosition(code, end);
                if (!position) {
                    continue;
                }
                const range = document.createRange();
                range.setStart(position.node, position.offset);
                range.collapse(true);
                range.insertNode(commandButton(command));
            }
        });
    }

    setUpListings();
    setUpCommands();
})();
