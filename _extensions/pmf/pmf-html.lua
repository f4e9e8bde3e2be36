-- Accessible HTML pages for the Council Plan report, under Quarto and pmf's built-in engine.
--
-- * the divs Quarto puts around notebook cells are unwrapped (page contents, see below);
-- * an image's `fig-alt` becomes its alt text, so a chart is described rather than captioned
--   twice; an image without words gets an empty alt text (decorative);
-- * table cells are aligned by class (`align-right`), so no inline style is needed;
-- * every table sits in a labelled, focusable region that scrolls sideways on a narrow screen
--   instead of widening the page (WCAG 1.4.10 reflow), its columns as wide as their content
--   needs (pandoc would make a long pipe table's columns equal), each body cell labelled with
--   its column's header for tables that become cards on a narrow screen.

-- An image with no words (a Making Data Count icon whose words are written beside it) is
-- decorative: `alt=""` says so, where pandoc would leave the attribute out.
function Image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["fig-alt"] = nil
    img.attributes.alt = alt
  elseif #img.caption == 0 and not img.attributes.alt then
    img.attributes.alt = ""
  end
  return img
end

-- Alignment as a class, not pandoc's `style="text-align: ..."`: the pages' Content-Security-Policy
-- allows only the site's own style sheet, so inline styles would be ignored.
local ALIGN = { AlignRight = "align-right", AlignCenter = "align-center", AlignLeft = "align-left" }

local function align_cells(rows, aligns)
  for _, row in ipairs(rows) do
    for i, cell in ipairs(row.cells) do
      local align = cell.alignment ~= "AlignDefault" and cell.alignment or aligns[i]
      if ALIGN[align] then
        cell.attr.classes:insert(ALIGN[align])
      end
      cell.alignment = pandoc.AlignDefault
    end
  end
end

-- Each body cell is labelled with its column's header (`data-label`), for a table whose rows
-- become cards on a narrow screen (`.pmf-cards` in the site's stylesheet).
local function label_cells(tbl)
  local headers = {}
  for i, cell in ipairs(tbl.head.rows[1] and tbl.head.rows[1].cells or {}) do
    headers[i] = pandoc.utils.stringify(cell.contents)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        if headers[i] and headers[i] ~= "" then
          cell.attributes["data-label"] = headers[i]
        end
      end
    end
  end
end

function Table(tbl)
  local aligns = {}
  for i, spec in ipairs(tbl.colspecs) do
    aligns[i] = spec[1]
    tbl.colspecs[i] = { pandoc.AlignDefault, pandoc.ColWidthDefault }
  end
  align_cells(tbl.head.rows, aligns)
  for _, body in ipairs(tbl.bodies) do
    align_cells(body.head, aligns)
    align_cells(body.body, aligns)
  end
  align_cells(tbl.foot.rows, aligns)
  label_cells(tbl)
  local label = pandoc.utils.stringify(tbl.caption.long)
  if label == "" then
    label = "Table"
  end
  -- A list of pairs, not a table keyed by name: the attributes in the same order every time,
  -- so a page made again from the same notebook is the same file.
  local region = { { "role", "region" }, { "tabindex", "0" }, { "aria-label", label } }
  local attr = pandoc.Attr("", { "table-scroll" }, region)
  return pandoc.Div({ tbl }, attr)
end

-- Quarto wraps each notebook cell and its output in divs, and pandoc's page contents ("On this
-- page") lists only headings outside divs; every heading of a page here is a cell's markdown
-- output. Unwrapped, they are listed as the built-in engine lists them (which has no such divs).
local CELL_DIVS = { "cell", "cell-output", "cell-output-display", "cell-output-markdown" }

-- A table a reader can filter (`.pmf-filter`, the overview's summary icon table) brings the
-- site's own script that builds the filter (site_libs/pmf/table-filter.js; every page that
-- has one sits at the top of its site, beside site_libs).
local FILTER_SCRIPT = '<script src="site_libs/pmf/table-filter.js" defer></script>'

function Div(div)
  for _, class in ipairs(CELL_DIVS) do
    if div.classes:includes(class) then
      return div.content
    end
  end
  if div.classes:includes("pmf-filter") then
    div.content:insert(pandoc.RawBlock("html", FILTER_SCRIPT))
    return div
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
