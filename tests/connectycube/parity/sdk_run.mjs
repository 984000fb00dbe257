// Drives the official ConnectyCube JS SDK (connectycube 6.1.2) against the emulator:
// sign-up, session by email, session by login, then session + delete of the user.
// usage: node sdk_run.mjs <api_url> <app_id> <auth_key> <email> <password> <full_name> <login>
import ConnectyCube from 'connectycube';

const [apiUrl, appId, authKey, email, password, fullName, login] = process.argv.slice(2);

function fresh() {
  // init() makes a new service with no session, so each step starts like a new client.
  ConnectyCube.init({ appId: Number(appId), authKey },
                    { endpoints: { api_url: apiUrl }, debug: { mode: 0 } });
}

async function main() {
  fresh();
  const user = await ConnectyCube.users.signup({ email, password, full_name: fullName });
  fresh();
  await ConnectyCube.createSession({ email, password });
  fresh();
  await ConnectyCube.createSession({ login, password });
  fresh();
  await ConnectyCube.createSession({ email, password });
  await ConnectyCube.users.delete();
  console.log(JSON.stringify({ user_id: user.user.id }));
}

main().catch((error) => {
  console.error('SDK run failed:', JSON.stringify(error));
  process.exit(1);
});
