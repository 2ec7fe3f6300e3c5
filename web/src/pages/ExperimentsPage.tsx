import { ComingSoon } from '../components/ComingSoon'

// Placeholder until the experiments page is built.
export default function ExperimentsPage() {
  return <ComingSoon page="experiments" />
}
