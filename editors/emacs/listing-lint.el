;;; listing-lint.el --- listing-lint through eglot, on a stock Emacs -*- lexical-binding: t -*-

;; Load it from your init file: (load "/path/to/listing-lint.el")
;; Needs eglot (built into Emacs 29+; on Emacs 28, Debian's elpa-eglot or `M-x package-install eglot`)
;; and `listing-lint` on PATH: install it from a clone (`pip install .` in a virtualenv whose bin folder is
;; on PATH) or from a wheel you built, or set `listing-lint-command' to its full path.
;;
;; No third-party major mode is needed: listing files open in `listing-lint-mode', a text mode of its own,
;; chosen by file name. Other Markdown, JSON and CSV files keep whatever mode they had and get no server.

;;; Code:

(require 'eglot)

(defgroup listing-lint nil
  "Lint marketplace listing copy with listing-lint."
  :group 'tools)

(defcustom listing-lint-command '("listing-lint" "server")
  "Command that starts the listing-lint language server."
  :type '(repeat string))

(defcustom listing-lint-file-regexps
  '("\\.listing\\.\\(?:md\\|json\\)\\'"                 ; listings, anywhere
    "\\.\\(?:jsonl\\|csv\\|tsv\\)\\'"                    ; catalogs and flat files
    "[Aa]ll[-_ ]?[Ll]istings[-_ ]?[Rr]eport[^/]*\\.txt\\'") ; Amazon's All Listings Report export
  "File names that open in `listing-lint-mode'.
Add the patterns of your listing-lint.toml `include' here too."
  :type '(repeat regexp))

(define-derived-mode listing-lint-mode text-mode "Listing"
  "Major mode for marketplace listing files; listing-lint checks them through eglot."
  (setq-local truncate-lines t)) ; catalog rows are long: keep one row per screen line

(dolist (re listing-lint-file-regexps)
  (add-to-list 'auto-mode-alist (cons re 'listing-lint-mode)))

(add-to-list 'eglot-server-programs
             `(listing-lint-mode . ,(lambda (&rest _) listing-lint-command)))

(add-hook 'listing-lint-mode-hook #'eglot-ensure)

(provide 'listing-lint)
;;; listing-lint.el ends here
