import { ComingSoon } from '../components/ComingSoon'

// Placeholder until the flows page is built.
export default function FlowsPage() {
  return <ComingSoon page="flows" />
}
