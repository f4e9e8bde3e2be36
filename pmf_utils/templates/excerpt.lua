-- The opening words of published commentary, for a KPI's dashboard card:
--   pandoc lua excerpt.lua < published.json > excerpts.json
-- Reads commentary already made safe (sanitise.commentary) and returns, for each text, the
-- plain words of its first paragraph (a heading or a list before it is passed over; emphasis
-- and links are reduced to their words), or "" when it has none. The caller escapes them.
local excerpts = {}
for i, text in ipairs(pandoc.json.decode(io.read("a"), false)) do
  excerpts[i] = ""
  for _, block in ipairs(pandoc.read(text, "markdown").blocks) do
    if block.t == "Para" or block.t == "Plain" then
      excerpts[i] = pandoc.utils.stringify(block)
      break
    end
  end
end
io.write(pandoc.json.encode(excerpts))
