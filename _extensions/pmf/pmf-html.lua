-- Accessible HTML pages for the Council Plan report, under Quarto and pmf's built-in engine.
--
-- * the divs Quarto puts around notebook cells are unwrapped (page contents, see below);
-- * an image's `fig-alt` becomes its alt text, so a chart is described rather than captioned
--   twice;
-- * every table sits in a labelled, focusable region that scrolls sideways on a narrow screen
--   instead of widening the page (WCAG 1.4.10 reflow), its columns as wide as their content
--   needs (pandoc would make a long pipe table's columns equal).

function Image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["fig-alt"] = nil
    img.attributes.alt = alt
  end
  return img
end

function Table(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], pandoc.ColWidthDefault }
  end
  local label = pandoc.utils.stringify(tbl.caption.long)
  if label == "" then
    label = "Table"
  end
  local region = { role = "region", tabindex = "0", ["aria-label"] = label }
  local attr = pandoc.Attr("", { "table-scroll" }, region)
  return pandoc.Div({ tbl }, attr)
end

-- Quarto wraps each notebook cell and its output in divs, and pandoc's page contents ("On this
-- page") lists only headings outside divs; every heading of a page here is a cell's markdown
-- output. Unwrapped, they are listed as the built-in engine lists them (which has no such divs).
local CELL_DIVS = { "cell", "cell-output", "cell-output-display", "cell-output-markdown" }

function Div(div)
  for _, class in ipairs(CELL_DIVS) do
    if div.classes:includes(class) then
      return div.content
    end
  end
end

-- The browser tab and the search results name the page with its subtitle (the quarter), as
-- the built-in engine's page template does; Quarto adds the site's title after it.
function Meta(meta)
  if meta.subtitle and not meta.pagetitle then
    local title = pandoc.utils.stringify(meta.title or "")
    meta.pagetitle = title .. " – " .. pandoc.utils.stringify(meta.subtitle)
    return meta
  end
end
