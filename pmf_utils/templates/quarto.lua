-- What Quarto itself does with the features the report's pages use, for pmf's built-in engine
-- (convert.lua runs this before the format's own filters, with FORMAT set to the writer):
--
-- * conditional content: `::: {.content-visible when-format="html"}`, `.content-hidden`,
--   `unless-format` ("html" means the HTML writers, "pdf" also means Typst, as in Quarto);
-- * callouts: `::: {.callout-important title="..."}`, a titled note on a page and Quarto's
--   `#callout(...)` in Typst (defined in definitions.typ);
-- * links to notebooks (`kpi-x.ipynb#part`) point at their pages (`kpi-x.html#part`) in HTML.

local html = FORMAT:match("html") ~= nil

local function is_format(name)
  if name == "html" then
    return html
  end
  if name == "pdf" or name == "typst" then
    return FORMAT == "typst"
  end
  return name == FORMAT
end

local function conditional(div)
  local visible = div.classes:includes("content-visible")
  local hidden = div.classes:includes("content-hidden")
  if not (visible or hidden) then
    return nil
  end
  local shown = true
  if div.attributes["when-format"] then
    shown = is_format(div.attributes["when-format"])
  elseif div.attributes["unless-format"] then
    shown = not is_format(div.attributes["unless-format"])
  end
  if hidden then
    shown = not shown
  end
  return shown and div.content or {}
end

local COLOURS = {
  note = "#1d70b8",
  tip = "#00703c",
  warning = "#b35900",
  caution = "#b35900",
  important = "#b3261e",
}

local function callout(div)
  local kind
  for _, class in ipairs(div.classes) do
    kind = kind or class:match("^callout%-(%a+)$")
  end
  if not kind then
    return nil
  end
  local title = pandoc.read(div.attributes.title or "", "markdown").blocks
  title = pandoc.utils.blocks_to_inlines(title)
  if html then
    local blocks = pandoc.Blocks({})
    if #title > 0 then
      blocks:insert(pandoc.Div({ pandoc.Plain({ pandoc.Strong(title) }) }, { class = "callout-title" }))
    end
    blocks:extend(div.content)
    return pandoc.Div(blocks, { class = "callout callout-" .. kind })
  end
  local colour = COLOURS[kind] or COLOURS.note
  local typst_title = pandoc.write(pandoc.Pandoc({ pandoc.Plain(title) }), "typst"):gsub("%s+$", "")
  local open = '#callout(icon_color: rgb("' .. colour .. '"), title: [' .. typst_title .. "], body: ["
  return pandoc.Blocks({ pandoc.RawBlock("typst", open) })
    :extend(div.content)
    :extend({ pandoc.RawBlock("typst", "])") })
end

local function notebook_link(link)
  if html then
    link.target = link.target:gsub("^([^/:#?]+)%.ipynb", "%1.html")
    return link
  end
end

return {
  { Div = conditional },
  { Div = callout, Link = notebook_link },
}
