// The order filters as the API's OrderListQuery. Dates are whole days: the API reads a bare date
// as that day's start for `_from` and its end for `_to`, so both ends are inclusive.

/** `{ statusId, paid, from, to }` from the form (strings; '' means any) → OrderListQuery. */
export function orderQuery({ statusId = '', paid = '', from = '', to = '' }) {
  const query = { order_by: 'creation_time', order_dir: 'desc' };
  if (statusId !== '') query.status_id = Number(statusId);
  if (paid === 'paid') query.paid_yn = true;
  if (paid === 'unpaid') query.paid_yn = false;
  if (from) query.creation_time_from = from;
  if (to) query.creation_time_to = to;
  return query;
}

/** A status's name in the page's language when the shop has it, else its first name. */
export function statusName(status, language = 'cs') {
  const names = status.descriptions ?? [];
  return (names.find((d) => d.language_id === language) ?? names[0])?.name ?? `#${status.id}`;
}
