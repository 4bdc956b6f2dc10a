;;; attach.el --- drive the shipped editors/emacs/listing-lint.el in a real, stock Emacs  -*- lexical-binding: t -*-
;;
;; emacs --batch -q -l attach.el CONFIG_EL SERVER_COMMAND_JSON REPORT FILE...
;; Opens each FILE, lets the command loop's post-command-hook run (where `eglot-ensure' connects), and
;; reports per file: the major mode, whether eglot manages it, the flymake diagnostics and how long the
;; first one took from `find-file'.  Batch Emacs has no command loop, so the hook is run by hand, once.

(require 'json)
(let* ((args command-line-args-left)
       (config (nth 0 args))
       (command (json-read-from-string (nth 1 args)))
       (report-file (nth 2 args))
       (files (nthcdr 3 args))
       (entries nil))
  (setq command-line-args-left nil)
  (load config nil t)
  (when (> (length command) 0)
    (setq listing-lint-command (append command nil)))
  (dolist (file files)
    (let ((started (float-time))
          (buffer (find-file-noselect file)))
      (with-current-buffer buffer
        (run-hooks 'post-command-hook)
        (let ((entry (list (cons 'file file) (cons 'mode (symbol-name major-mode)))))
          (when (eq major-mode 'listing-lint-mode)
            (let ((deadline (+ (float-time) 30)))
              (while (and (< (float-time) deadline) (not (eglot-current-server)))
                (accept-process-output nil 0.02))
              (while (and (< (float-time) deadline) (eglot-current-server) (null (flymake-diagnostics)))
                ;; flymake defers its first check until the buffer is shown; batch Emacs shows nothing.
                (flymake-start nil t)
                (accept-process-output nil 0.02))))
          (push (cons 'managed (if (eglot-current-server) t :json-false)) entry)
          (when (flymake-diagnostics)
            (push (cons 'first_diagnostic_ms (* 1000 (- (float-time) started))) entry))
          (push (cons 'diagnostics (vconcat (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))) entry)
          (push entry entries)))))
  (with-temp-file report-file
    (insert (json-encode (list (cons 'files (vconcat (nreverse entries)))))))
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs 0))
