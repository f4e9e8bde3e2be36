-- Converts many documents in one pandoc process, for pmf's built-in engine:
--   pandoc lua convert.lua < jobs.json > results.json
-- Starting pandoc once per page would dominate a quarter's build. Each job is
-- {source, markdown, to, filters, template, toc_depth, shift}; each result is {output} or
-- {error}, so one bad document is reported by name without hiding the others. Filters see
-- FORMAT (the writer) as they do under Quarto.
local templates = {}

local function template(path)
  if not templates[path] then
    local file = assert(io.open(path))
    templates[path] = pandoc.template.compile(file:read("a"), path)
    file:close()
  end
  return templates[path]
end

local function shift(doc, by)
  return doc:walk({
    Header = function(h)
      h.level = math.max(1, math.min(6, h.level + by))
      return h
    end,
  })
end

local function convert(job)
  local doc = pandoc.read(job.markdown, "markdown")
  if job.shift ~= 0 then
    doc = shift(doc, job.shift)
  end
  for _, filter in ipairs(job.filters) do
    doc = pandoc.utils.run_lua_filter(doc, filter, setmetatable({ FORMAT = job.to }, { __index = _G }))
  end
  local options = { wrap_text = "wrap-none" }
  if type(job.template) == "string" then
    options.template = template(job.template)
  end
  if job.toc_depth > 0 then
    options.table_of_contents = true
    options.toc_depth = job.toc_depth
  end
  return pandoc.write(doc, job.to, options)
end

local results = {}
for i, job in ipairs(pandoc.json.decode(io.read("a"), false)) do
  local ok, result = pcall(convert, job)
  results[i] = ok and { output = result } or { error = job.source .. ": " .. tostring(result) }
end
io.write(pandoc.json.encode(results))
