-- listing-lint language server for Neovim 0.11+.
--
-- Copy this file to ~/.config/nvim/plugin/listing_lint.lua (or paste it into your init.lua).
-- It needs `listing-lint` on your PATH: install it from a clone (`pip install .`) or a wheel you built, in a
-- virtualenv whose bin folder is on PATH; otherwise set cmd to the full path, for example
-- { '/path/to/clone/.venv/bin/listing-lint', 'server' }. When the command is missing, opening a
-- listing says so with vim.notify instead of failing silently in the LSP log.
--
-- The server starts only for listing files, never for every Markdown or JSON buffer:
--   * *.listing.md and *.listing.json, anywhere;
--   * catalogs (*.jsonl, *.csv, *.tsv, All Listings Report *.txt, or whatever `include` names) only under
--     a folder with a listing-lint.toml, .listing-lint.toml or pyproject.toml [tool.listing-lint], and
--     only when they match that config's `include` globs (or, without `include`, the default catalog globs).
-- Settings (all optional) go in init_options, or in settings.listingLint to change them without a
-- restart; listing-lint.toml next to or above your listings is read as well, and the editor's
-- settings win over it.

local CONFIG_NAMES = { 'listing-lint.toml', '.listing-lint.toml', 'pyproject.toml' }
local DEFAULT_INCLUDE = { '*.listing.md', '*.listing.json', '*.jsonl', '*.csv', '*.tsv', '*.txt' }

-- The nearest config file above `dir` (pyproject.toml only with a [tool.listing-lint] table), and its folder.
local function find_config(dir)
  for _, folder in ipairs({ dir, unpack(vim.iter(vim.fs.parents(dir)):totable()) }) do
    for _, name in ipairs(CONFIG_NAMES) do
      local path = vim.fs.joinpath(folder, name)
      if vim.uv.fs_stat(path) then
        if name ~= 'pyproject.toml' then
          return path, folder
        end
        for line in io.lines(path) do
          if line:match('^%s*%[tool%.listing%-lint[%].]') then
            return path, folder
          end
        end
      end
    end
  end
end

-- The top-level `include` globs of a config file (a one-line or multi-line TOML array), or nil.
local function include_globs(path)
  local table_name = vim.fs.basename(path) == 'pyproject.toml' and 'tool.listing-lint' or ''
  local section, collecting, text = '', false, ''
  for line in io.lines(path) do
    local header = line:match('^%s*%[%[?%s*([^%]]-)%s*%]')
    if header and not collecting then
      section = header
    elseif section == table_name and (collecting or line:match('^%s*include%s*=')) then
      text = text .. ' ' .. line:gsub('#.*$', '')
      collecting = not text:find('%]')
      if not collecting then
        local globs = {}
        for _, quote in ipairs({ '"([^"]*)"', "'([^']*)'" }) do
          for glob in text:gmatch(quote) do
            table.insert(globs, glob)
          end
        end
        return globs
      end
    end
  end
end

local function matches(globs, file, root)
  local rel = file:sub(#root + 2)
  for _, glob in ipairs(globs) do
    local pattern = vim.glob.to_lpeg(glob)
    if pattern:match(vim.fs.basename(file)) or pattern:match(rel) then
      return true
    end
  end
  return false
end

-- The root folder to serve a buffer from when it is a listing file, else nil.
local function listing_root(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  if file == '' then
    return nil
  end
  local config, config_dir = find_config(vim.fs.dirname(file))
  local named_listing = file:match('%.listing%.md$') or file:match('%.listing%.json$')
  if not named_listing then
    if not config or not matches(include_globs(config) or DEFAULT_INCLUDE, file, config_dir) then
      return nil
    end
  end
  return config_dir or vim.fs.root(bufnr, '.git') or vim.fs.dirname(file)
end

-- Neovim's own file types for the formats the server reads (`text` is the All Listings Report .txt).
local FILETYPES = { 'markdown', 'json', 'jsonl', 'csv', 'tsv', 'text' }

vim.lsp.config('listing_lint', {
  cmd = { 'listing-lint', 'server' },
  filetypes = FILETYPES,
  -- root_dir decides per buffer: calling on_dir attaches, returning without it leaves the buffer alone.
  root_dir = function(bufnr, on_dir)
    local root = listing_root(bufnr)
    if root then
      on_dir(root)
    end
  end,
  -- init_options = { ownBrands = { 'Vantora' }, competitors = { 'Anker' } },
  -- settings = { listingLint = { select = { 'policy' }, fieldLengths = true } },
})

-- Neovim skips a config whose command is not executable and says so only in its LSP log; say it where a
-- user looks, once, when the first listing opens.
local warned = false
vim.api.nvim_create_autocmd('FileType', {
  pattern = FILETYPES,
  group = vim.api.nvim_create_augroup('listing_lint_missing', { clear = true }),
  callback = function(event)
    local cmd = vim.lsp.config.listing_lint.cmd
    if warned or type(cmd) ~= 'table' or vim.fn.executable(cmd[1]) == 1 or not listing_root(event.buf) then
      return
    end
    warned = true
    vim.notify(("listing-lint: '%s' was not found, so listings are not checked. Install it from a clone "
      .. "of listing-lint (pip install . in a virtualenv whose bin folder is on PATH), or set cmd in "
      .. "vim.lsp.config('listing_lint', { cmd = { '/path/to/listing-lint', 'server' } })."):format(cmd[1]),
      vim.log.levels.WARN)
  end,
})

vim.lsp.enable('listing_lint')

-- Field lengths (142/200) are inlay hints; Neovim hides inlay hints until you turn them on:
--   vim.lsp.inlay_hint.enable(true)
-- Fix every safe problem in the buffer:
--   vim.lsp.buf.code_action({ context = { only = { 'source.fixAll.listing-lint' } }, apply = true })
