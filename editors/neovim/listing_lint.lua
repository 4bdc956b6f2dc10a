-- listing-lint language server for Neovim 0.11+.
--
-- Copy this file to ~/.config/nvim/plugin/listing_lint.lua (or paste it into your init.lua).
-- It needs `listing-lint` on your PATH: install it from a clone (`pip install .`) or a wheel you built, in a
-- virtualenv whose bin folder is on PATH;
-- otherwise set cmd to { '/path/to/python', '-m', 'listing_lint', 'server' }.
--
-- The server lints *.listing.md, *.listing.json, *.jsonl, *.csv and *.tsv files (and whatever the
-- `include` globs of your listing-lint.toml name); other files of these types get nothing from it.
-- Settings (all optional) go in init_options, or in settings.listingLint to change them without a
-- restart; listing-lint.toml next to or above your listings is read as well, and the editor's
-- settings win over it.

vim.lsp.config('listing_lint', {
  cmd = { 'listing-lint', 'server' },
  filetypes = { 'markdown', 'json', 'jsonl', 'csv', 'tsv' },
  root_markers = { 'listing-lint.toml', '.listing-lint.toml', 'pyproject.toml', '.git' },
  -- init_options = { ownBrands = { 'Vantora' }, competitors = { 'Anker' } },
  -- settings = { listingLint = { select = { 'policy' }, fieldLengths = true } },
})

vim.lsp.enable('listing_lint')

-- Field lengths (142/200) are inlay hints; Neovim hides inlay hints until you turn them on:
--   vim.lsp.inlay_hint.enable(true)
-- Fix every safe problem in the buffer:
--   vim.lsp.buf.code_action({ context = { only = { 'source.fixAll.listing-lint' } }, apply = true })
