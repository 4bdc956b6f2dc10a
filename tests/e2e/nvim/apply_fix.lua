-- Drive listing-lint in a real Neovim: open a listing, wait for diagnostics, apply the quick fix of the
-- external-url finding, write the file and report what happened as JSON.
--
-- nvim --headless -u NONE -i NONE -l apply_fix.lua CONFIG_LUA PYTHON LISTING REPORT
--   CONFIG_LUA  the shipped editors/neovim/listing_lint.lua (loaded as a user would)
--   PYTHON      the interpreter to run the server with (the file's `listing-lint` command may not be on PATH)
--   LISTING     the *.listing.md file to open
--   REPORT      where to write the JSON report

local config_lua, python, listing, report_path = arg[1], arg[2], arg[3], arg[4]
local report = { steps = {} }

local function step(name)
  table.insert(report.steps, name)
end

local function finish(err)
  report.error = err
  local f = assert(io.open(report_path, 'w'))
  f:write(vim.json.encode(report))
  f:close()
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop()
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  os.exit(err and 1 or 0)
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  dofile(config_lua)
  vim.lsp.config('listing_lint', { cmd = { python, '-m', 'listing_lint', 'server' } })
  step('config loaded')

  vim.cmd.edit(vim.fn.fnameescape(listing))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype

  local client
  if not vim.wait(10000, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'listing_lint' })[1]
    return client ~= nil and client.initialized
  end, 10) then
    error('the listing_lint client did not attach')
  end
  report.root_dir = client.root_dir
  report.offset_encoding = client.offset_encoding
  step('attached')

  local function url_diagnostic()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local lsp = d.user_data and d.user_data.lsp
      if lsp and lsp.code == 'POL001' then
        return lsp
      end
    end
  end
  local diagnostic
  if not vim.wait(10000, function()
    diagnostic = url_diagnostic()
    return diagnostic ~= nil
  end, 10) then
    error('no external-url diagnostic arrived')
  end
  report.diagnostic = diagnostic
  step('diagnostics')

  local response = client:request_sync('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = diagnostic.range,
    context = { diagnostics = { diagnostic }, only = { 'quickfix' } },
  }, 5000, bufnr)
  if not response or response.err then
    error('codeAction failed: ' .. vim.inspect(response))
  end
  report.actions = {}
  local chosen
  for _, action in ipairs(response.result or {}) do
    table.insert(report.actions, { title = action.title, isPreferred = action.isPreferred or false })
    if action.isPreferred and action.edit then
      chosen = chosen or action
    end
  end
  if not chosen then
    error('no preferred quick fix')
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  report.applied = chosen.title
  vim.cmd.write()
  step('written')

  -- The server lints the edited text again: the finding goes away.
  if not vim.wait(10000, function()
    return url_diagnostic() == nil
  end, 10) then
    error('the external-url diagnostic stayed after the fix')
  end
  report.remaining = #vim.diagnostic.get(bufnr)
  step('cleared')
end)

finish(not ok and tostring(err) or nil)
