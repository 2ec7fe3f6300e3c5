import { ComingSoon } from '../components/ComingSoon'

// Placeholder until the overview page is built.
export default function OverviewPage() {
  return <ComingSoon page="overview" />
}
