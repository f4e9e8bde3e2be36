-- Analysts' commentary made safe to publish, the same way for web pages and booklets:
--   pandoc lua commentary.lua < texts.json > published.json
-- Commentary is pasted from Word and e-mail by many hands, so it is read as markdown with
-- every way of reaching the output format switched off (raw HTML, raw attributes, raw TeX,
-- HTML divs and spans, citations): such text stays literal text. Links keep only the http,
-- https and mailto schemes; an image, or a link with any other scheme, is replaced by its
-- words and a visible note; attributes (classes that hide content from one format, ids,
-- event handlers) are dropped. The result is written back as pandoc markdown, which escapes whatever is literal.
local READER = "markdown-raw_html-raw_attribute-raw_tex-native_divs-native_spans-citations"
local SAFE = { http = true, https = true, mailto = true }

local function note(text)
  return pandoc.Emph({ pandoc.Str("[" .. text .. "]") })
end

local function safe_target(target)
  -- Browsers drop control characters and white space inside a URL ("java\tscript:").
  local scheme = target:gsub("[%c%s]", ""):match("^([%a][%w+.-]*):")
  return scheme == nil or SAFE[scheme:lower()] == true
end

local filter = {
  -- pandoc's markdown writer leaves a "{" after code or a link unescaped, where a reader with
  -- attributes on would take `{=html}` or `{onclick=...}` as markup: write it escaped.
  Str = function(str)
    if str.text:sub(1, 1) == "{" then
      return { pandoc.RawInline("markdown", "\\{"), pandoc.Str(str.text:sub(2)) }
    end
  end,
  Link = function(link)
    if not safe_target(link.target) then
      local words = pandoc.Inlines(link.content)
      words:extend({ pandoc.Space(), note("link removed: only http, https and mailto links are published") })
      return words
    end
    link.attr = pandoc.Attr()
    return link
  end,
  Image = function(image)
    local alt = pandoc.utils.stringify(image.caption)
    return note("image not published" .. (alt ~= "" and (": " .. alt) or ""))
  end,
  Div = function(div)
    return div.content
  end,
  Span = function(span)
    return span.content
  end,
  Header = function(header)
    header.attr = pandoc.Attr()
    return header
  end,
  Code = function(code)
    code.attr = pandoc.Attr()
    return code
  end,
  CodeBlock = function(block)
    block.attr = pandoc.Attr()
    return block
  end,
  RawInline = function(raw)
    return pandoc.Code(raw.text)
  end,
  RawBlock = function(raw)
    return pandoc.CodeBlock(raw.text)
  end,
}

local published = {}
for i, text in ipairs(pandoc.json.decode(io.read("a"), false)) do
  local doc = pandoc.read(text, READER):walk(filter)
  published[i] = pandoc.write(doc, "markdown", { wrap_text = "wrap-preserve" })
end
io.write(pandoc.json.encode(published))
