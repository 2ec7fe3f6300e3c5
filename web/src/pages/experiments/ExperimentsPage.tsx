import { matchPath, usePath } from '../../router'
import { DetailView } from './DetailView'
import { ListView } from './ListView'
import { Wizard } from './Wizard'
import './experiments.css'

/** `/experiments` lists experiments and policies, `/experiments/new` is the launch wizard, `/experiments/:id` one experiment with its results. */
export default function ExperimentsPage() {
  const path = usePath()
  if (path === '/experiments/new') return <Wizard />
  const m = matchPath('/experiments/:id', path)
  return m ? <DetailView key={m.id} id={m.id} /> : <ListView />
}
