import { ComingSoon } from '../components/ComingSoon'

// Placeholder until the consumers page is built.
export default function ConsumersPage() {
  return <ComingSoon page="consumers" />
}
