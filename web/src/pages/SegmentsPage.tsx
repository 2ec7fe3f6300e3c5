import { ComingSoon } from '../components/ComingSoon'

// Placeholder until the segments page is built.
export default function SegmentsPage() {
  return <ComingSoon page="segments" />
}
