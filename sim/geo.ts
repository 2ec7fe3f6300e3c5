/**
 * Shandong geography: the 16 prefecture-level cities and their county-level divisions
 * (districts 区, county-level cities 市, counties 县), names exactly as official, with
 * approximate government-seat coordinates (WGS-84-ish, accurate to a few km: enough for
 * placing simulated stores and for maps/filters). Boundaries as of 2020 (莱芜 merged into
 * 济南 in 2019, 长岛 into 蓬莱区 in 2020).
 *
 * `pop` is the approximate resident population in 10k people; the simulator spreads
 * stores over a city's divisions in proportion to it.
 */

export const PROVINCE = '山东省'

export interface District {
  name: string
  lat: number
  lon: number
  /** approximate population, 10k people */
  pop: number
}

export interface City {
  name: string
  /** short name without 市, for display and generated names */
  short: string
  lat: number
  lon: number
  /** relative weight in the simulated channel's stores (Weifang, the home market, ~40%) */
  storeWeight: number
  neighbors: string[]
  districts: District[]
}

const d = (name: string, lat: number, lon: number, pop: number): District => ({ name, lat, lon, pop })

/** Cities in the order the brief gives: Weifang first, then the big markets. */
export const CITIES: readonly City[] = [
  {
    name: '潍坊市', short: '潍坊', lat: 36.7069, lon: 119.1618, storeWeight: 45,
    neighbors: ['青岛市', '烟台市', '日照市', '临沂市', '淄博市', '东营市'],
    districts: [
      d('潍城区', 36.7281, 119.0245, 45), d('寒亭区', 36.7750, 119.2190, 42),
      d('坊子区', 36.6546, 119.1666, 52), d('奎文区', 36.7074, 119.1326, 68),
      d('青州市', 36.6848, 118.4796, 95), d('诸城市', 35.9959, 119.4100, 110),
      d('寿光市', 36.8811, 118.7906, 116), d('安丘市', 36.4786, 119.2188, 92),
      d('高密市', 36.3828, 119.7557, 88), d('昌邑市', 36.8589, 119.3977, 57),
      d('临朐县', 36.5122, 118.5426, 84), d('昌乐县', 36.7066, 118.8300, 61),
    ],
  },
  {
    name: '济南市', short: '济南', lat: 36.6512, lon: 117.1201, storeWeight: 8.5,
    neighbors: ['淄博市', '泰安市', '聊城市', '德州市', '滨州市'],
    districts: [
      d('历下区', 36.6664, 117.0768, 80), d('市中区', 36.6510, 116.9974, 73),
      d('槐荫区', 36.6511, 116.9009, 63), d('天桥区', 36.6779, 116.9873, 74),
      d('历城区', 36.6800, 117.0650, 125), d('长清区', 36.5535, 116.7519, 60),
      d('章丘区', 36.6805, 117.5262, 107), d('济阳区', 36.9786, 117.1731, 55),
      d('莱芜区', 36.2033, 117.6590, 100), d('钢城区', 36.0590, 117.8110, 26),
      d('平阴县', 36.2893, 116.4561, 34), d('商河县', 37.3092, 117.1573, 56),
    ],
  },
  {
    name: '青岛市', short: '青岛', lat: 36.0671, lon: 120.3826, storeWeight: 9,
    neighbors: ['潍坊市', '烟台市', '日照市'],
    districts: [
      d('市南区', 36.0712, 120.4122, 51), d('市北区', 36.0870, 120.3748, 110),
      d('黄岛区', 35.9601, 120.1980, 190), d('崂山区', 36.1073, 120.4688, 58),
      d('李沧区', 36.1451, 120.4327, 73), d('城阳区', 36.3071, 120.3961, 110),
      d('即墨区', 36.3899, 120.4472, 135), d('胶州市', 36.2647, 120.0335, 100),
      d('平度市', 36.7868, 119.9600, 120), d('莱西市', 36.8890, 120.5176, 70),
    ],
  },
  {
    name: '烟台市', short: '烟台', lat: 37.4638, lon: 121.4479, storeWeight: 6,
    neighbors: ['威海市', '青岛市', '潍坊市'],
    districts: [
      d('芝罘区', 37.5404, 121.4002, 90), d('福山区', 37.4969, 121.2676, 44),
      d('牟平区', 37.3873, 121.6006, 44), d('莱山区', 37.5114, 121.4451, 54),
      d('蓬莱区', 37.8107, 120.7589, 45), d('龙口市', 37.6459, 120.4779, 73),
      d('莱阳市', 36.9787, 120.7115, 81), d('莱州市', 37.1771, 119.9421, 83),
      d('招远市', 37.3551, 120.4344, 55), d('栖霞市', 37.3355, 120.8499, 54),
      d('海阳市', 36.7763, 121.1585, 57),
    ],
  },
  {
    name: '临沂市', short: '临沂', lat: 35.1041, lon: 118.3564, storeWeight: 8,
    neighbors: ['日照市', '潍坊市', '淄博市', '泰安市', '济宁市', '枣庄市'],
    districts: [
      d('兰山区', 35.0514, 118.3478, 150), d('罗庄区', 34.9966, 118.2848, 60),
      d('河东区', 35.0891, 118.4023, 75), d('沂南县', 35.5500, 118.4653, 80),
      d('郯城县', 34.6135, 118.3671, 90), d('沂水县', 35.7900, 118.6278, 100),
      d('兰陵县', 34.8571, 118.0709, 115), d('费县', 35.2663, 117.9775, 80),
      d('平邑县', 35.5059, 117.6403, 85), d('莒南县', 35.1750, 118.8353, 85),
      d('蒙阴县', 35.7102, 117.9457, 50), d('临沭县', 34.9200, 118.6502, 60),
    ],
  },
  {
    name: '淄博市', short: '淄博', lat: 36.8131, lon: 118.0548, storeWeight: 4,
    neighbors: ['济南市', '潍坊市', '东营市', '滨州市', '泰安市', '临沂市'],
    districts: [
      d('张店区', 36.8068, 118.0179, 100), d('淄川区', 36.6434, 117.9667, 72),
      d('博山区', 36.4947, 117.8617, 44), d('临淄区', 36.8269, 118.3088, 64),
      d('周村区', 36.8033, 117.8697, 37), d('桓台县', 36.9598, 118.0978, 50),
      d('高青县', 37.1697, 117.8267, 36), d('沂源县', 36.1854, 118.1710, 55),
    ],
  },
  {
    name: '济宁市', short: '济宁', lat: 35.4154, lon: 116.5871, storeWeight: 5.5,
    neighbors: ['泰安市', '枣庄市', '临沂市', '菏泽市'],
    districts: [
      d('任城区', 35.4143, 116.5951, 130), d('兖州区', 35.5524, 116.7833, 63),
      d('曲阜市', 35.5810, 116.9864, 64), d('邹城市', 35.4051, 117.0037, 115),
      d('微山县', 34.8071, 117.1290, 63), d('鱼台县', 35.0123, 116.6504, 43),
      d('金乡县', 35.0665, 116.3114, 62), d('嘉祥县', 35.4083, 116.3420, 82),
      d('汶上县', 35.7320, 116.4891, 67), d('泗水县', 35.6649, 117.2513, 53),
      d('梁山县', 35.8022, 116.0963, 73),
    ],
  },
  {
    name: '菏泽市', short: '菏泽', lat: 35.2336, lon: 115.4807, storeWeight: 5,
    neighbors: ['济宁市', '聊城市'],
    districts: [
      d('牡丹区', 35.2521, 115.4170, 140), d('定陶区', 35.0712, 115.5731, 60),
      d('曹县', 34.8256, 115.5423, 140), d('单县', 34.7951, 116.1071, 110),
      d('成武县', 34.9523, 115.8897, 65), d('巨野县', 35.3959, 116.0949, 90),
      d('郓城县', 35.6000, 115.9435, 110), d('鄄城县', 35.5634, 115.5100, 80),
      d('东明县', 35.2890, 115.0899, 75),
    ],
  },
  {
    name: '德州市', short: '德州', lat: 37.4355, lon: 116.3575, storeWeight: 3.5,
    neighbors: ['济南市', '聊城市', '滨州市'],
    districts: [
      d('德城区', 37.4508, 116.2994, 70), d('陵城区', 37.3361, 116.5764, 55),
      d('乐陵市', 37.7297, 117.2310, 62), d('禹城市', 36.9342, 116.6383, 50),
      d('宁津县', 37.6522, 116.8001, 45), d('庆云县', 37.7759, 117.3853, 31),
      d('临邑县', 37.1900, 116.8662, 50), d('齐河县', 36.7839, 116.7584, 60),
      d('平原县', 37.1654, 116.4339, 43), d('夏津县', 36.9484, 116.0017, 50),
      d('武城县', 37.2131, 116.0694, 37),
    ],
  },
  {
    name: '聊城市', short: '聊城', lat: 36.4570, lon: 115.9854, storeWeight: 3.7,
    neighbors: ['济南市', '德州市', '泰安市', '菏泽市'],
    districts: [
      d('东昌府区', 36.4343, 115.9883, 120), d('茌平区', 36.5800, 116.2552, 55),
      d('临清市', 36.8384, 115.7050, 75), d('阳谷县', 36.1141, 115.7913, 75),
      d('莘县', 36.2343, 115.6712, 95), d('东阿县', 36.3351, 116.2475, 40),
      d('冠县', 36.4844, 115.4421, 75), d('高唐县', 36.8660, 116.2305, 47),
    ],
  },
  {
    name: '泰安市', short: '泰安', lat: 36.2000, lon: 117.0876, storeWeight: 3.5,
    neighbors: ['济南市', '淄博市', '临沂市', '济宁市', '聊城市'],
    districts: [
      d('泰山区', 36.1942, 117.1358, 80), d('岱岳区', 36.1875, 117.0418, 95),
      d('新泰市', 35.9090, 117.7680, 130), d('肥城市', 36.1820, 116.7683, 95),
      d('宁阳县', 35.7587, 116.8052, 75), d('东平县', 35.9365, 116.4708, 72),
    ],
  },
  {
    name: '滨州市', short: '滨州', lat: 37.3835, lon: 117.9707, storeWeight: 2.5,
    neighbors: ['东营市', '淄博市', '济南市', '德州市'],
    districts: [
      d('滨城区', 37.4300, 118.0196, 85), d('沾化区', 37.6993, 118.0987, 35),
      d('邹平市', 36.8630, 117.7432, 78), d('惠民县', 37.4893, 117.5100, 58),
      d('阳信县', 37.6411, 117.5781, 44), d('无棣县', 37.7700, 117.6255, 44),
      d('博兴县', 37.1503, 118.1106, 50),
    ],
  },
  {
    name: '东营市', short: '东营', lat: 37.4341, lon: 118.6748, storeWeight: 1.5,
    neighbors: ['滨州市', '淄博市', '潍坊市'],
    districts: [
      d('东营区', 37.4485, 118.5822, 90), d('河口区', 37.8860, 118.5250, 25),
      d('垦利区', 37.5880, 118.5480, 25), d('利津县', 37.4900, 118.2556, 28),
      d('广饶县', 37.0537, 118.4073, 52),
    ],
  },
  {
    name: '枣庄市', short: '枣庄', lat: 34.8107, lon: 117.3237, storeWeight: 2.5,
    neighbors: ['济宁市', '临沂市'],
    districts: [
      d('市中区', 34.8640, 117.5563, 60), d('薛城区', 34.7950, 117.2631, 50),
      d('峄城区', 34.7729, 117.5907, 40), d('台儿庄区', 34.5626, 117.7340, 30),
      d('山亭区', 35.0990, 117.4610, 45), d('滕州市', 35.1138, 117.1652, 160),
    ],
  },
  {
    name: '日照市', short: '日照', lat: 35.4164, lon: 119.5269, storeWeight: 1.8,
    neighbors: ['青岛市', '潍坊市', '临沂市'],
    districts: [
      d('东港区', 35.4252, 119.4622, 95), d('岚山区', 35.1220, 119.3184, 45),
      d('五莲县', 35.7500, 119.2074, 45), d('莒县', 35.5797, 118.8373, 100),
    ],
  },
  {
    name: '威海市', short: '威海', lat: 37.5135, lon: 122.1204, storeWeight: 2,
    neighbors: ['烟台市'],
    districts: [
      d('环翠区', 37.5017, 122.1233, 95), d('文登区', 37.1938, 122.0580, 55),
      d('荣成市', 37.1652, 122.4866, 71), d('乳山市', 36.9192, 121.5396, 46),
    ],
  },
]

/** A county-level division together with its city, in one flat list. */
export interface FlatDistrict extends District {
  /** index into CITIES */
  city: number
  cityName: string
}

/** All divisions, city by city in CITIES order (index = global district index). */
export const DISTRICTS: readonly FlatDistrict[] = CITIES.flatMap((c, ci) =>
  c.districts.map((x) => ({ ...x, city: ci, cityName: c.name })),
)

/** First global district index of each city, plus a final end entry. */
export const CITY_DISTRICT_START: readonly number[] = (() => {
  const out: number[] = []
  let n = 0
  for (const c of CITIES) {
    out.push(n)
    n += c.districts.length
  }
  out.push(n)
  return out
})()

const cityIndexByName = new Map(CITIES.map((c, i) => [c.name, i]))

/** Index of a city in CITIES by its official name (e.g. `潍坊市`), or -1. */
export function cityIndex(name: string): number {
  return cityIndexByName.get(name) ?? -1
}

/** A city by its official name. */
export function findCity(name: string): City | undefined {
  const i = cityIndexByName.get(name)
  return i === undefined ? undefined : CITIES[i]
}

/** Great-circle distance in km (haversine, R = 6371 km, as in DESIGN.md §4). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = Math.PI / 180
  const dLat = (lat2 - lat1) * toRad
  const dLon = (lon2 - lon1) * toRad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)))
}

/** Degrees of latitude per km. */
export const KM_LAT = 1 / 111.32

/** Degrees of longitude per km at a latitude. */
export function kmLon(lat: number): number {
  return 1 / (111.32 * Math.cos((lat * Math.PI) / 180))
}

/** The city (index) whose nearest division centre is closest to a point. */
export function nearestCity(lat: number, lon: number): number {
  let best = -1
  let bestD = Infinity
  for (const x of DISTRICTS) {
    const dd = (x.lat - lat) ** 2 + ((x.lon - lon) * Math.cos((lat * Math.PI) / 180)) ** 2
    if (dd < bestD) {
      bestD = dd
      best = x.city
    }
  }
  return best
}
