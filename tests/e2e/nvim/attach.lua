-- Open files in a real Neovim with the shipped config and report, per file, whether listing-lint
-- attached and how long the first diagnostic took; also report every vim.notify message.
--
-- nvim --headless -u NONE -i NONE -l attach.lua CONFIG_LUA CMD_JSON REPORT FILE...
--   CONFIG_LUA  the shipped editors/neovim/listing_lint.lua (loaded as a user would)
--   CMD_JSON    a JSON array to set as the server cmd, or "" to keep the config's own `listing-lint server`
--   REPORT      where to write the JSON report
--   FILE...     files to open, in order; a file whose name contains "listing" or is under a folder
--               with a config is waited on for diagnostics only when the client attaches

local config_lua, cmd_json, report_path = arg[1], arg[2], arg[3]
local files = { unpack(arg, 4) }
local report = { files = {}, notifications = {} }

-- Record what the config tells the user, and still show it as Neovim would.
local notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(report.notifications, { message = msg, level = level })
  return notify(msg, level, opts)
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
  if cmd_json ~= '' then
    vim.lsp.config('listing_lint', { cmd = vim.json.decode(cmd_json) })
  end
  -- Note the config's decision per buffer, so a buffer it accepts is waited on for as long as a cold
  -- server start takes, and one it refuses is not waited on at all.
  local decide = vim.lsp.config.listing_lint.root_dir
  local accepted = {}
  vim.lsp.config('listing_lint', {
    root_dir = function(bufnr, on_dir)
      decide(bufnr, function(dir)
        accepted[bufnr] = dir
        on_dir(dir)
      end)
    end,
  })
  for _, file in ipairs(files) do
    local started = vim.uv.hrtime()
    vim.cmd.edit(vim.fn.fnameescape(file))
    local bufnr = vim.api.nvim_get_current_buf()
    local entry = { file = file, filetype = vim.bo[bufnr].filetype }
    -- Attaching is decided on FileType, while :edit runs; a cold start then takes a second or more.
    vim.wait(200, function()
      return accepted[bufnr] ~= nil
    end, 10)
    if accepted[bufnr] then
      vim.wait(20000, function()
        return #vim.lsp.get_clients({ bufnr = bufnr, name = 'listing_lint' }) > 0
      end, 5)
    end
    entry.attached = #vim.lsp.get_clients({ bufnr = bufnr, name = 'listing_lint' }) > 0
    if entry.attached then
      local got = vim.wait(20000, function()
        return #vim.diagnostic.get(bufnr) > 0
      end, 5)
      if got then
        entry.first_diagnostic_ms = (vim.uv.hrtime() - started) / 1e6
        entry.codes = {}
        for _, d in ipairs(vim.diagnostic.get(bufnr)) do
          table.insert(entry.codes, d.code)
        end
        table.sort(entry.codes)
      end
    end
    table.insert(report.files, entry)
  end
  report.clients = #vim.lsp.get_clients()
end)

finish(not ok and tostring(err) or nil)
