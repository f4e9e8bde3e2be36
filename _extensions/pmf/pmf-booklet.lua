-- Turns a booklet notebook (pages of the website put one after another by pmf_utils.booklet)
-- into a printable document, under Quarto and pmf's built-in engine alike.
--
-- * drops collapsible `<details>` blocks (the numbers behind a chart, on the website), whether
--   or not they are marked website-only; those numbers are in the CSV downloads;
-- * a table of KPIs (`.pmf-cards`) gives the KPI's name a wider column;
-- * headline figures and priority tiles (`.pmf-tiles`) print as a grid of tiles;
-- * `::: {.pmf-shift by=N}` moves each page's headings under its part heading;
-- * a top-level `{.pmf-part}` heading starts a new page; only part headings go into the contents and
--   the PDF bookmarks, not the headings within each page;
-- * images carry their alt text (`fig-alt`, else the caption) into the tagged PDF; an image
--   within a line (an icon) is sized to the text around it (2.2em: two lines);
-- * a link to a page that is in the booklet becomes a link to its part (whose heading has the
--   id `part-<page>`, e.g. `part-kpi-CFB02`); links to pages and files that are not in the
--   booklet become plain text; the website's CSV download links (`{.pmf-download}`) go.

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

-- pandoc's Typst writer leaves out alt text, which a tagged PDF needs.
local function typst_image(img, alt, extra)
  return "image(" .. typst_string(img.src) .. ", alt: " .. typst_string(alt) .. extra .. ")"
end

local function drop_details(blocks)
  local kept, depth = pandoc.Blocks({}), 0
  for _, block in ipairs(blocks) do
    local raw = block.t == "RawBlock" and block.format == "html" and block.text or ""
    local opens = select(2, raw:gsub("<details[%s>]", ""))
    local closes = select(2, raw:gsub("</details>", ""))
    if depth == 0 and opens == 0 then
      kept:insert(block)
    end
    depth = math.max(depth + opens - closes, 0)
  end
  return kept
end

-- Each page's headings move under its part heading, and stay out of the contents and the
-- bookmarks (a scoped `set` rule), which list the parts only.
local function shift(div)
  if not div.classes:includes("pmf-shift") then
    return nil
  end
  local by = tonumber(div.attributes.by) or 0
  local blocks = div.content:walk({
    Header = function(h)
      h.level = math.max(1, math.min(6, h.level + by))
      return h
    end,
  })
  return pandoc.Blocks({ pandoc.RawBlock("typst", "#[#set heading(outlined: false)") })
    :extend(blocks)
    :extend({ pandoc.RawBlock("typst", "]") })
end

-- Quarto (1.6 to at least 1.10) drops the caption of a table that has no `tbl-` id from Typst
-- output (quarto-dev/quarto-cli#11733), and every table here has a caption and no id. Under
-- Quarto the table is therefore written here, as pandoc's Typst writer writes it (a figure of
-- kind table with its caption, which the built-in engine gets from pandoc directly).
-- Remove this once Quarto keeps such captions again.
local function typst_table(tbl)
  if not quarto or #tbl.caption.long == 0 then
    return tbl
  end
  local typst = pandoc.write(pandoc.Pandoc({ tbl }), "typst")
  return pandoc.RawBlock("typst", typst)
end

-- Columns as wide as their content needs (pandoc would make a long pipe table's equal).
local function natural_widths(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], pandoc.ColWidthDefault }
  end
  return tbl
end

-- In a table of KPIs (`.pmf-cards`) the KPI's name gets twice a column's fair share of the
-- width (at most 30%), so that names do not wrap a word to a line beside figures and icons.
local function kpi_column(div)
  if div.classes:includes("pmf-cards") then
    return div:walk({
      Table = function(tbl)
        tbl.colspecs[1] = { tbl.colspecs[1][1], math.min(0.3, 2 / #tbl.colspecs) }
        return tbl
      end,
    })
  end
end

-- Figures as tiles (`.pmf-tiles`: a bullet list, each item a figure `.pmf-figure` and its
-- words, on lines of their own) become a grid of shaded boxes, the figure large above its words.
local function tiles(div)
  if not div.classes:includes("pmf-tiles") then
    return nil
  end
  local items = {}
  div:walk({
    BulletList = function(list)
      items = list.content
    end,
  })
  local columns = div.classes:includes("pmf-wide") and 3 or math.min(#items, 6)
  local blocks = pandoc.Blocks({
    pandoc.RawBlock("typst", "#grid(columns: (1fr,) * " .. columns .. ", gutter: 6pt,"),
  })
  for _, item in ipairs(items) do
    blocks:insert(pandoc.RawBlock("typst", "block(width: 100%, inset: 7pt, fill: pmf-shade)["))
    blocks:extend(pandoc.Blocks(item):walk({
      Span = function(span)
        if span.classes:includes("pmf-figure") then
          return pandoc.Inlines({ pandoc.RawInline("typst", "#text(size: 18pt, weight: \"bold\", fill: pmf-brand)[") })
            :extend(span.content)
            :extend({ pandoc.RawInline("typst", "]") })
        end
      end,
    }))
    blocks:insert(pandoc.RawBlock("typst", "],"))
  end
  blocks:insert(pandoc.RawBlock("typst", ")"))
  return blocks
end

-- Only a top-level part starts a new page: the whole plan's priorities follow their ambition.
local function part_break(h)
  if h.classes:includes("pmf-part") and h.level == 1 then
    return { pandoc.RawBlock("typst", "#pagebreak(weak: true)"), h }
  end
end

local function figure(fig)
  local alt = pandoc.utils.stringify(fig.caption.long)
  return fig:walk({
    Image = function(img)
      local code = typst_image(img, img.attributes["fig-alt"] or alt, ", width: 100%")
      return pandoc.RawInline("typst", "#" .. code)
    end,
  })
end

-- An image within a line (a Making Data Count icon in a table cell) is sized to the text and
-- centred on it, whatever its natural size.
-- An icon with no alt text has its words beside it: it is marked an artifact, which PDF/UA
-- lets go without alt text and a screen reader passes over.
local function image(img)
  local alt = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
  local code = alt == "" and ("pdf.artifact(image(" .. typst_string(img.src) .. ", height: 2.2em))")
    or typst_image(img, alt, ", height: 2.2em")
  return pandoc.RawInline("typst", "#box(baseline: 30%, " .. code .. ")")
end

local function links(doc)
  -- Pages are put one after another, so an id may now occur twice: later ones get a suffix.
  local ids = {}
  doc = doc:walk({
    Header = function(h)
      if h.identifier ~= "" then
        local id, n = h.identifier, 2
        while ids[id] do
          id, n = h.identifier .. "-" .. n, n + 1
        end
        ids[id], h.identifier = true, id
        return h
      end
    end,
  })
  return doc:walk({
    Link = function(link)
      if link.classes:includes("pmf-download") then
        return {}
      end
      local target = link.target
      if target:match("^%a[%w+.-]*:") then
        return nil
      end
      local page = target:match("^([^/#?]+)%.html") or target:match("^([^/#?]+)%.ipynb")
      local anchor = page and ("part-" .. page) or target:match("^#(.+)$")
      if anchor and ids[anchor] then
        link.target = "#" .. anchor
        return link
      end
      return link.content
    end,
  })
end

-- Tables are written out last (under Quarto), when their widths are set and the images in
-- their cells (the Making Data Count icons) carry their alt text, which PDF/UA-1 requires.
return {
  { Blocks = drop_details },
  { Div = shift },
  { Pandoc = links },
  { Figure = figure, Table = natural_widths },
  { Div = kpi_column },
  { Div = tiles },
  { Header = part_break, Image = image },
  { Table = typst_table },
}
