;;; listing-lint.el --- listing-lint through eglot, on a stock Emacs -*- lexical-binding: t -*-

;; Load it from your init file: (load "/path/to/listing-lint.el")
;; Needs eglot (built into Emacs 29+; on Emacs 28, Debian's elpa-eglot or `M-x package-install eglot`)
;; and `listing-lint` on PATH: install it from a clone (`pip install .` in a virtualenv whose bin folder is
;; on PATH) or from a wheel you built, or set `listing-lint-command' to its full path.
;;
;; No third-party major mode is needed: listing files open in `listing-lint-mode', a text mode of its own,
;; chosen by file name. Other Markdown and JSON files keep whatever mode they had and get no server.
;; *.listing.md and *.listing.json open in it anywhere; a catalog (.jsonl, .csv, .tsv, an All Listings
;; Report .txt) only under a folder with a listing-lint config, so a stray CSV elsewhere stays in
;; text-mode and costs no Python process.

;;; Code:

(require 'eglot)

(defgroup listing-lint nil
  "Lint marketplace listing copy with listing-lint."
  :group 'tools)

(defcustom listing-lint-command '("listing-lint" "server")
  "Command that starts the listing-lint language server."
  :type '(repeat string))

(defcustom listing-lint-file-regexps
  '("\\.listing\\.\\(?:md\\|json\\)\\'")
  "File names that are listings anywhere: they always open in `listing-lint-mode'."
  :type '(repeat regexp))

(defcustom listing-lint-catalog-regexps
  '("\\.\\(?:jsonl\\|csv\\|tsv\\)\\'"                    ; catalogs and flat files
    "[Aa]ll[-_ ]?[Ll]istings[-_ ]?[Rr]eport[^/]*\\.txt\\'") ; Amazon's All Listings Report export
  "File names that are listings only under a folder with a listing-lint config.
Elsewhere they open in `text-mode', so a stray CSV starts no server.  Add the
patterns of your listing-lint.toml `include' here."
  :type '(repeat regexp))

(define-derived-mode listing-lint-mode text-mode "Listing"
  "Major mode for marketplace listing files; listing-lint checks them through eglot."
  (setq-local truncate-lines t)) ; catalog rows are long: keep one row per screen line

(defun listing-lint--config-dir (file)
  "The nearest folder above FILE with a listing-lint config, or nil.
pyproject.toml counts only with a [tool.listing-lint] table, as for the command line."
  (locate-dominating-file
   file
   (lambda (dir)
     (or (file-exists-p (expand-file-name "listing-lint.toml" dir))
         (file-exists-p (expand-file-name ".listing-lint.toml" dir))
         (let ((pyproject (expand-file-name "pyproject.toml" dir)))
           (and (file-exists-p pyproject)
                (with-temp-buffer
                  (insert-file-contents pyproject)
                  (re-search-forward "^\\[tool\\.listing-lint[].]" nil t))))))))

(defun listing-lint-catalog-mode-maybe ()
  "`listing-lint-mode' for a catalog under a listing-lint config, else `text-mode'.
eglot manages every buffer of a mode in a project once its server runs, so the
choice is made here, by mode, rather than in a hook."
  (if (and buffer-file-name (listing-lint--config-dir buffer-file-name))
      (listing-lint-mode)
    (text-mode)))

(dolist (re listing-lint-file-regexps)
  (add-to-list 'auto-mode-alist (cons re 'listing-lint-mode)))
(dolist (re listing-lint-catalog-regexps)
  (add-to-list 'auto-mode-alist (cons re 'listing-lint-catalog-mode-maybe)))

(add-to-list 'eglot-server-programs
             `(listing-lint-mode . ,(lambda (&rest _) listing-lint-command)))

(add-hook 'listing-lint-mode-hook #'eglot-ensure)

(provide 'listing-lint)
;;; listing-lint.el ends here
