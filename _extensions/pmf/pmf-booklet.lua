-- Turns a booklet notebook (pages of the website put one after another by pmf_utils.booklet)
-- into a printable document, under Quarto and pmf's built-in engine alike.
--
-- * drops collapsible `<details>` blocks (the numbers behind a chart, on the website), whether
--   or not they are marked website-only; those numbers are in the CSV downloads;
-- * a table of KPIs (`.pmf-cards`) gives the KPI's name a wider column;
-- * headline figures and priority tiles (`.pmf-tiles`) print as a grid of tiles;
-- * `::: {.pmf-shift by=N}` moves each page's headings under its part heading;
-- * a top-level `{.pmf-part}` heading starts a new page (the first follows the cover or title
--   band; the whole plan's priorities follow their ambition); only part headings go into the
--   contents and the PDF bookmarks, not the headings within each page; a part marked
--   `.pmf-fit-page` sizes its charts to fit its page;
-- * a priority's dashboard (`.pmf-dashboard`) becomes a Typst grid of its KPI cards
--   (`.pmf-card`), `pmf-dashboard` and `pmf-card` of typst-template.typ, which keep each card
--   whole on one page; the card's figure, period and commentary (`.pmf-card-value`,
--   `.pmf-card-period`, `.pmf-card-note`) are styled by the template's functions of those
--   names; a sparkline (`.pmf-spark`) ends its line, three lines high;
-- * images carry their alt text (`fig-alt`, else the caption) into the tagged PDF; an image
--   alone in its paragraph (an analyst's chart) is as wide as the text, an image within a line
--   (an icon) is sized to the text around it (2.2em: two lines);
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

-- Website-only content goes here already, with the notebook cells it leaves empty (Quarto
-- would write each as an empty block, whose spacing can push a full page onto a new one).
local function website_only(div)
  local html = div.classes:includes("content-visible") and div.attributes["when-format"] == "html"
  if html or #div.content == 0 then
    return {}
  end
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

-- An image within a line (a Making Data Count icon in a table cell) is sized to the text and
-- centred on it, whatever its natural size (`height`: 2.2em, two lines, unless given).
-- An icon with no alt text has its words beside it: it is marked an artifact, which PDF/UA
-- lets go without alt text and a screen reader passes over.
local function image(img, height)
  local alt = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
  if img.classes:includes("pmf-spark") then
    -- A card's sparkline sits at the end of its figure's line.
    local code = typst_image(img, alt, ", height: 3.3em")
    return pandoc.RawInline("typst", "#h(1fr)#box(baseline: 20%, " .. code .. ")")
  end
  local size = ", height: " .. (height or "2.2em")
  local code = alt == "" and ("pdf.artifact(image(" .. typst_string(img.src) .. size .. "))")
    or typst_image(img, alt, size)
  return pandoc.RawInline("typst", "#box(baseline: 30%, " .. code .. ")")
end

-- Each top-level part starts a page (the first follows the cover or the title band); a part marked
-- `.pmf-fit-page` (a KPI's page in a priority's booklet) is wrapped in the template's
-- `pmf-fit-page`, which sizes its charts to the room its page leaves.
-- Within it, the line saying where the page sits in the plan goes (the booklet is the
-- priority's) and the icons in its tables are a line and a half high.
local function fit_part(blocks, charts)
  blocks = blocks:walk({
    Div = function(div)
      if div.classes:includes("pmf-context") then
        return {}
      end
    end,
    Table = function(tbl)
      return tbl:walk({
        Image = function(img)
          return image(img, "1.6em")
        end,
      })
    end,
  })
  local wrapped = pandoc.Blocks({ pandoc.RawBlock("typst", "#pmf-fit-page(charts: " .. charts .. ")[") })
  return wrapped:extend(blocks):extend({ pandoc.RawBlock("typst", "]") })
end

local function parts(doc)
  local out, current, fit, charts, count = pandoc.Blocks({}), pandoc.Blocks({}), false, 0, 0
  local function close()
    out:extend(fit and fit_part(current, charts) or current)
    current, charts = pandoc.Blocks({}), 0
  end
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.classes:includes("pmf-part") then
      close()
      count = count + 1
      if count > 1 and block.level == 1 then
        out:insert(pandoc.RawBlock("typst", "#pagebreak(weak: true)"))
      end
      fit = block.classes:includes("pmf-fit-page")
    end
    pandoc.Blocks({ block }):walk({ Figure = function() charts = charts + 1 end })
    current:insert(block)
  end
  close()
  doc.blocks = out
  return doc
end

-- The template's function of the same name styles these parts of a KPI card.
local CARD_PARTS = { ["pmf-card-value"] = true, ["pmf-card-period"] = true, ["pmf-card-note"] = true }

local function card_part(element)
  local name = element.classes[1]
  if not CARD_PARTS[name] then
    return nil
  end
  if element.t == "Span" then
    local inlines = pandoc.Inlines({ pandoc.RawInline("typst", "#" .. name .. "[") })
    return inlines:extend(element.content):extend({ pandoc.RawInline("typst", "]") })
  end
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#" .. name .. "[") })
  return blocks:extend(element.content):extend({ pandoc.RawBlock("typst", "]") })
end

-- The cards as the arguments of one `pmf-dashboard(...)` call, each coloured by its status
-- (the card's `colour`, a #rrggbb the package wrote; the status is in its words as well).
local function dashboard(div)
  if not div.classes:includes("pmf-dashboard") then
    return nil
  end
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#pmf-dashboard(") })
  for _, card in ipairs(div.content) do
    if card.t == "Div" and card.classes:includes("pmf-card") then
      local colour = (card.attributes.colour or ""):match("^#%x%x%x%x%x%x$")
      local args = colour and ('(colour: rgb("' .. colour .. '"))') or ""
      blocks:insert(pandoc.RawBlock("typst", "pmf-card" .. args .. "["))
      -- A card's icons are a line high: the card is narrow and its words say the same.
      blocks:extend(card.content:walk({
        Image = function(img)
          return image(img, "1.5em")
        end,
      }))
      blocks:insert(pandoc.RawBlock("typst", "],"))
    end
  end
  blocks:insert(pandoc.RawBlock("typst", ")"))
  return blocks
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

-- An image alone in its paragraph is a chart (one an analyst's own cell displays, without a
-- caption), not an icon: as wide as the text, like the report's own charts.
local function lone_image(para)
  if #para.content == 1 and para.content[1].t == "Image" then
    local img = para.content[1]
    local alt = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
    return pandoc.RawBlock("typst", "#" .. typst_image(img, alt, ", width: 100%"))
  end
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
  { Div = website_only },
  { Div = shift },
  { Pandoc = links },
  { Figure = figure, Table = natural_widths, Para = lone_image },
  { Div = kpi_column },
  { Div = tiles },
  { Pandoc = parts },
  { Span = card_part },
  { Div = card_part },
  { Div = dashboard },
  { Image = image },
  { Table = typst_table },
}
