// The platforms the page can connect to. Each module (upgates.js, retailys.js) describes its
// connection form and connects to a shop, which it hands back as the same small adapter, so the
// views have one code path and no platform checks:
//
//   platform, label, baseUrl, who     which shop; `who` is the login shown, or null
//   requestsSent                      requests the client has sent (every attempt counts)
//   budget, budgetNote                the budget the shop reported (RateBudget fields) or null,
//                                     and what to say when there is no budget to show
//   statuses()                        [{ id, name, color }]
//   flagFilter                        the filter beside the status: { name, label, options }
//   query({ status, flag, from, to }) the form's filters as the platform's list query
//   orders(query, { onProgress })     every matching order as a row (see columns), page by page
//   columns                           the row fields the table shows, in order
//   tally(query, statuses, draw)      counts by status for the chart: { add(rows), done }
//   ruleData(event)                   the playground's data for an event, where the platform's
//                                     records fit it (Upgates); absent otherwise
import { retailys } from './retailys.js';
import { upgates } from './upgates.js';

export const PLATFORMS = [upgates, retailys];

/** The platform called `id` ('upgates' when none is named: what the page offered before Retailys). */
export function platformNamed(id = 'upgates') {
  const found = PLATFORMS.find((p) => p.id === id);
  if (!found) throw new Error(`unknown platform "${id}" (the page knows ${PLATFORMS.map((p) => p.id).join(', ')})`);
  return found;
}
