import lib, { ObjectType, PropertyIdentifier, ApplicationTag, StatusFlagsBitString, StatusFlags } from '@bacnet-js/client';
const Ctor: any = (lib as any).default ?? lib;
const server = new Ctor({ port: 25809, interface: '127.0.0.1', broadcastAddress: '127.255.255.255' });
server.on('readPropertyMultiple', (content: any) => {
  console.log('server got RPM', JSON.stringify(content.payload), content.maxApdu, content.maxSegments, Object.keys(content));
  server.readPropertyMultipleResponse(content.header.sender, content.invokeId, [
    { objectId: { type: 0, instance: 1 }, values: [
      { property: { id: 85, index: 0xffffffff }, value: [{ type: ApplicationTag.REAL, value: 21.5 }] },
      { property: { id: 111, index: 0xffffffff }, value: [{ type: ApplicationTag.BIT_STRING, value: new StatusFlagsBitString(StatusFlags.FAULT, StatusFlags.OUT_OF_SERVICE) }] },
      { property: { id: 117, index: 0xffffffff }, value: [{ value: { type: 'BacnetError', errorClass: 2, errorCode: 32 } }] },
    ] },
  ]);
});
server.on('subscribeCov', (content: any) => {
  console.log('sub', JSON.stringify(content.payload), content.header.sender);
  server.simpleAckResponse(content.header.sender, content.service, content.invokeId);
  server.unconfirmedCOVNotification(content.header.sender, content.payload.subscriberProcessId, 77, content.payload.monitoredObjectId, 30, [
    { property: { id: 85 }, value: [{ type: ApplicationTag.REAL, value: 3.25 }] },
    { property: { id: 111 }, value: [{ type: ApplicationTag.BIT_STRING, value: new StatusFlagsBitString(StatusFlags.IN_ALARM) }] },
  ]);
});
server.on('writeProperty', (content: any) => {
  console.log('write', JSON.stringify(content.payload));
  server.errorResponse(content.header.sender, content.service, content.invokeId, 2, 40);
});
const client = new Ctor({ port: 25810, interface: '127.0.0.1', broadcastAddress: '127.255.255.255', apduTimeout: 1000 });
client.on('covNotifyUnconfirmed', (c: any) => console.log('cov', JSON.stringify(c.payload), c.header.sender));
setTimeout(async () => {
  const r = await client.readPropertyMultiple({ address: '127.0.0.1:25809' }, [{ objectId: { type: 0, instance: 1 }, properties: [{ id: 85, index: 0xffffffff }, { id: 111, index: 0xffffffff }] }]);
  console.log(JSON.stringify(r));
  await client.subscribeCov({ address: '127.0.0.1:25809' }, { type: 0, instance: 1 }, 4242, false, false, 60);
  try { await client.writeProperty({ address: '127.0.0.1:25809' }, { type: 2, instance: 1 }, 85, [{ type: ApplicationTag.NULL, value: null }], { priority: 8 }); } catch (e) { console.log('write err', (e as Error).message); }
  try { await client.readProperty({ address: '127.0.0.1:25809' }, { type: 2, instance: 1 }, 85); } catch (e) { console.log('rp err', (e as Error).message); }
  setTimeout(() => { client.close(); server.close(); }, 300);
}, 200);
