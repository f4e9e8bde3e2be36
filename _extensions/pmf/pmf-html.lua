-- Accessible HTML pages for the Council Plan report, under Quarto and pmf's built-in engine.
--
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
