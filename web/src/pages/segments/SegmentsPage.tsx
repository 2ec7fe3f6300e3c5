import { matchPath, usePath } from '../../router'
import { NewSegmentPage, SegmentPage } from './BuilderPage'
import { SegmentListPage } from './SegmentListPage'
// Inputs, compact tables and row links are shared with the profile pages.
import '../profiles/profiles.css'
import './segments.css'
import './builder.css'
import './pickers.css'

/** `/segments` lists the segments, `/segments/new` builds one, `/segments/:id` edits a saved one. */
export default function SegmentsPage() {
  const path = usePath()
  if (path === '/segments/new') return <NewSegmentPage />
  const m = matchPath('/segments/:id', path)
  return m ? <SegmentPage key={m.id} id={m.id} /> : <SegmentListPage />
}
